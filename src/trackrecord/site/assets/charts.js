/*
 * Track Record charts: turns each <figure class="tr-chart"> into an interactive Plotly chart.
 *
 * Each figure holds a static SVG <img> and its Plotly spec as JSON (written by
 * trackrecord.site.charts.chart_html). Without JavaScript, without Plotly, or if drawing fails, the
 * figure keeps showing the image. Plotly comes from window.Plotly if the page loaded it, or else from
 * the figure's data-plotly-src (a local file), fetched only on pages that have charts. Charts are
 * drawn when they come near the viewport, so a page with many charts opens quickly. They follow the
 * site's colour scheme (MkDocs Material's data-md-color-scheme on <body>): the spec's "dark" list holds
 * the changes for the dark scheme, and a chart is redrawn when the reader switches.
 * Plain ES2017, no build step.
 */
(function () {
  "use strict";

  let plotlyLoading = null;
  const PLOTLY_STYLE_ID = "plotly.js-style-global";
  let plotlyCss = null;

  // Plotly writes its global CSS once, into a <style> in <head>. MkDocs Material's instant navigation
  // removes from <head> whatever the next page's <head> lacks, so keep the rules and put them back.
  function keepPlotlyStyles() {
    const style = document.getElementById(PLOTLY_STYLE_ID);
    if (style && style.sheet) {
      plotlyCss = Array.from(style.sheet.cssRules, function (rule) { return rule.cssText; }).join("\n");
    } else if (!style && plotlyCss !== null) {
      const restored = document.createElement("style");
      restored.id = PLOTLY_STYLE_ID;
      restored.textContent = plotlyCss;
      document.head.appendChild(restored);
    }
  }

  function loadPlotly(src) {
    if (window.Plotly) {
      return Promise.resolve(window.Plotly);
    }
    if (!src) {
      return Promise.resolve(null);
    }
    if (!plotlyLoading) {
      plotlyLoading = new Promise(function (resolve) {
        const script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () { resolve(window.Plotly || null); };
        script.onerror = function () {
          plotlyLoading = null;  // a later page may try again
          resolve(null);
        };
        document.head.appendChild(script);
      });
    }
    return plotlyLoading;
  }

  function readSpec(figure) {
    // After MkDocs Material's instant navigation the spec's script has lost its type and class (Material
    // re-creates inline scripts), but it is still the figure's only script, with the same text.
    const holder = figure.querySelector("script.tr-chart-spec") || figure.querySelector("script");
    if (!holder) {
      return null;
    }
    try {
      const parsed = JSON.parse(holder.textContent);
      return Array.isArray(parsed) ? parsed[0] : parsed;  // chart_html writes [spec]
    } catch (error) {
      console.warn("Track Record: chart " + figure.id + " has an unreadable spec; showing the image", error);
      return null;
    }
  }

  const DARK_SCHEME = "slate";
  const drawn = new Map();  // plot element -> its spec, for redrawing in the other scheme

  function isDark() {
    return document.body.getAttribute("data-md-color-scheme") === DARK_SCHEME;
  }

  // The spec for the current scheme: a copy with the dark changes ([path, value] pairs) applied.
  function forScheme(spec) {
    const copy = JSON.parse(JSON.stringify({ data: spec.data, layout: spec.layout }));
    if (isDark()) {
      (spec.dark || []).forEach(function (change) {
        const path = change[0];
        let target = copy;
        for (let i = 0; i < path.length - 1; i++) { target = target[path[i]]; }
        target[path[path.length - 1]] = change[1];
      });
    }
    return copy;
  }

  function redrawAll() {
    drawn.forEach(function (spec, plot) {
      if (!plot.isConnected) {
        drawn.delete(plot);
        return;
      }
      const themed = forScheme(spec);
      window.Plotly.react(plot, themed.data, themed.layout, spec.config);
    });
  }

  async function draw(figure) {
    const spec = readSpec(figure);
    const Plotly = spec && await loadPlotly(figure.dataset.plotlySrc);
    if (!Plotly) {
      figure.dataset.trChart = "static";
      return;
    }
    const image = figure.querySelector("img");
    const plot = document.createElement("div");
    plot.className = "tr-chart-plot";
    // The image's width, shrinking with the page: the plot must not take its width from the figure, which
    // themes may size to its content (MkDocs Material's figures are fit-content) once the image is hidden.
    plot.style.width = (image && image.getAttribute("width") ? image.getAttribute("width") : "720") + "px";
    plot.style.maxWidth = "100%";
    // A group, not an image: it holds Plotly's buttons, which an image may not (axe: nested-interactive).
    plot.setAttribute("role", "group");
    plot.setAttribute("aria-label", image ? image.alt : "");
    figure.insertBefore(plot, image || figure.firstChild);
    try {
      keepPlotlyStyles();
      const themed = forScheme(spec);
      await Plotly.newPlot(plot, themed.data, themed.layout, spec.config);
      drawn.set(plot, spec);
      keepPlotlyStyles();
      if (image) {
        // Kept in the page, for readers without scripts; the inline style because themes (MkDocs Material)
        // give img a display that would override the hidden attribute.
        image.hidden = true;
        image.style.display = "none";
      }
      figure.dataset.trChart = "interactive";
    } catch (error) {
      plot.remove();
      figure.dataset.trChart = "static";
      console.warn("Track Record: chart " + figure.id + " could not be drawn; showing the image", error);
    }
  }

  function enhanceAll() {
    const figures = Array.from(document.querySelectorAll("figure.tr-chart:not([data-tr-chart])"));
    figures.forEach(function (figure) { figure.dataset.trChart = "pending"; });
    if (!("IntersectionObserver" in window)) {
      figures.forEach(draw);
      return;
    }
    const observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    }, { rootMargin: "300px 0px" });
    figures.forEach(function (figure) { observer.observe(figure); });
  }

  function watchScheme() {
    new MutationObserver(function () {
      if (window.Plotly) {
        redrawAll();
      }
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchScheme);
  } else {
    watchScheme();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
  // MkDocs Material's instant navigation swaps the page content without a new DOMContentLoaded.
  const documentObservable = window.document$;
  if (documentObservable && typeof documentObservable.subscribe === "function") {
    documentObservable.subscribe(enhanceAll);
  }
})();
