/*
 * Track Record charts: turns each <figure class="tr-chart"> into an interactive Plotly chart.
 *
 * Each figure holds a static SVG <img> and its Plotly spec as JSON (written by
 * trackrecord.site.charts.chart_html). Without JavaScript, without Plotly, or if drawing fails, the
 * figure keeps showing the image. Plotly comes from window.Plotly if the page loaded it, or else from
 * the figure's data-plotly-src (a local file), fetched only on pages that have charts. Charts are
 * drawn when they come near the viewport, so a page with many charts opens quickly.
 * Plain ES2017, no build step.
 */
(function () {
  "use strict";

  let plotlyLoading = null;

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
    const holder = figure.querySelector("script.tr-chart-spec");
    if (!holder) {
      return null;
    }
    try {
      return JSON.parse(holder.textContent);
    } catch (error) {
      console.warn("Track Record: chart " + figure.id + " has an unreadable spec; showing the image", error);
      return null;
    }
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
    plot.style.width = "100%";
    plot.setAttribute("role", "img");
    plot.setAttribute("aria-label", image ? image.alt : "");
    figure.insertBefore(plot, image || figure.firstChild);
    try {
      await Plotly.newPlot(plot, spec.data, spec.layout, spec.config);
      if (image) {
        image.hidden = true;  // kept in the page: it is what prints and what a reader without scripts saw
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
