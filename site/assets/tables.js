/* Track Record: sortable tables (tablesort, vendored), row filters and the leaderboard's slices.
   The pages work without this script: every row is in the HTML, unfiltered. Filters read and
   write the address bar (?status=true&role=critic), so a filtered view can be linked. Tablesort makes
   each sortable header a tab stop that sorts with Enter; a table wider than the page scrolls in its own
   box, which then takes the focus too, so the arrow keys scroll it. */
(function () {
  "use strict";

  function matches(row, filters) {
    for (var i = 0; i < filters.length; i++) {
      var f = filters[i];
      if (f.name === "q") {
        var text = row.textContent.toLowerCase();
        for (var w = 0; w < f.words.length; w++) { if (text.indexOf(f.words[w]) === -1) return false; }
      } else if (f.name === "status" && f.value === "resolved") {
        if (row.dataset.status === "pending") return false;
      } else if (f.name === "topic" || f.name === "collection") {
        if ((row.dataset[f.name] || "").split(" ").indexOf(f.value) === -1) return false;
      } else if (row.dataset[f.name] !== f.value) {
        return false;
      }
    }
    return true;
  }

  function setupFilters(form) {
    var table = document.getElementById(form.dataset.table);
    if (!table || form.dataset.ready) return;
    form.dataset.ready = "1";
    var controls = Array.prototype.slice.call(form.querySelectorAll("input[name], select[name]"));
    var output = form.querySelector(".tr-filters__count");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var params = new URLSearchParams(window.location.search);
    controls.forEach(function (c) {
      var v = params.get(c.name);
      if (v === null) return;
      if (c.tagName === "SELECT" && !Array.prototype.some.call(c.options, function (o) { return o.value === v; })) return;
      c.value = v;
    });
    function apply() {
      var filters = [];
      var query = new URLSearchParams(window.location.search);
      controls.forEach(function (c) {
        var v = c.value.trim();
        if (v) { query.set(c.name, v); } else { query.delete(c.name); }
        if (!v) return;
        filters.push({ name: c.name, value: v, words: v.toLowerCase().split(/\s+/) });
      });
      var shown = 0;
      rows.forEach(function (row) {
        var keep = matches(row, filters);
        row.hidden = !keep;
        if (keep) shown++;
      });
      if (output) output.textContent = "showing " + shown + " of " + rows.length;
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }
    controls.forEach(function (c) { c.addEventListener(c.tagName === "SELECT" ? "change" : "input", apply); });
    apply();
  }

  function setupSlices(form) {
    var select = form.querySelector("select[name=slice]");
    if (!select || form.dataset.ready) return;
    form.dataset.ready = "1";
    var sections = Array.prototype.slice.call(document.querySelectorAll("section.tr-slice"));
    var wanted = new URLSearchParams(window.location.search).get("slice");
    if (wanted && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) select.value = wanted;
    function apply() {
      sections.forEach(function (s) { s.hidden = s.dataset.slice !== select.value; });
      var query = new URLSearchParams(window.location.search);
      if (select.value === "all") { query.delete("slice"); } else { query.set("slice", select.value); }
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }
    select.addEventListener("change", apply);
    apply();
  }

  // A box that scrolls must be reachable by keyboard (WCAG 2.1.1); one that does not scroll is no tab stop.
  function focusableWhenScrolling() {
    document.querySelectorAll(".tr-table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
      } else {
        wrap.removeAttribute("tabindex");
      }
    });
  }

  function setup() {
    document.querySelectorAll("form.tr-filters").forEach(function (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    });
    if (window.Tablesort) {
      document.querySelectorAll("table.tr-sortable").forEach(function (t) {
        if (!t.dataset.sortReady && t.tHead) { t.dataset.sortReady = "1"; new window.Tablesort(t); }
      });
    }
    document.querySelectorAll("form.tr-filters[data-table]").forEach(setupFilters);
    document.querySelectorAll("form.tr-slices").forEach(setupSlices);
    focusableWhenScrolling();
  }

  window.addEventListener("resize", focusableWhenScrolling);
  // A leaderboard slice shown or a filter applied changes which tables are wide.
  document.addEventListener("change", function () { window.setTimeout(focusableWhenScrolling, 0); });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
