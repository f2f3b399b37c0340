/* Dashboard charts (ECharts, canvas) and sortable tables.
 * Each chart is a <div data-chart="ID"> next to a <script type="application/json" id="ID"> holding its data;
 * charts are (re)built on page load and after every htmx swap. */
(function () {
  "use strict";
  var BRAND = "#07c160", BLUE = "#2563eb";
  var PALETTE = [BRAND, BLUE, "#f59e0b", "#8b5cf6", "#ef4444", "#14b8a6", "#ec4899", "#64748b"];

  function fmt(kind, v) {
    if (v === null || v === undefined) return "—";
    if (kind === "rate") return (v * 100).toFixed(1) + "%";
    if (kind === "money") return "¥" + Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return Number(v).toLocaleString("zh-CN");
  }

  // Axis ticks are round figures: money without the cents there.
  function tick(kind, v) {
    return kind === "money" ? "¥" + Number(v).toLocaleString("zh-CN") : fmt(kind, v);
  }

  function trend(spec) {
    // Provisional days are the last W-1 computed days: one shaded band from the first to the last.
    var p = spec.provisional || [];
    var areas = p.length ? [[{ xAxis: p[0], name: spec.provisionalLabel || "" }, { xAxis: p[p.length - 1] }]] : [];
    var series = [{
      name: spec.name, type: "line", data: spec.values, smooth: true, symbol: "none", connectNulls: false,
      lineStyle: { width: 2 }, areaStyle: { opacity: 0.08 },
      markArea: areas.length ? { silent: true, itemStyle: { color: "rgba(99, 102, 241, 0.10)" }, label: { color: "#4338ca", fontSize: 10, position: "insideTop" }, data: areas } : undefined
    }];
    // A cohort rate's same-day reading, final every day: drawn beside the complete rate, dashed.
    if (spec.sameDay) {
      series.push({ name: spec.sameDayName, type: "line", data: spec.sameDay, smooth: true, symbol: "none", connectNulls: false, lineStyle: { width: 1.5, type: "dashed" } });
    }
    return {
      color: [BRAND, BLUE],
      grid: { left: 4, right: 4, top: 6, bottom: 4, containLabel: false },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(spec.format, v); } },
      xAxis: { type: "category", data: spec.dates, show: false, boundaryGap: false },
      yAxis: { type: "value", show: false, scale: true },
      series: series
    };
  }

  function bar(spec) {
    return {
      color: [BRAND],
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return fmt(spec.format, v); } },
      xAxis: { type: "value", axisLabel: { formatter: function (v) { return tick(spec.format, v); } } },
      yAxis: { type: "category", data: spec.labels },
      series: [{ type: "bar", data: spec.values, barMaxWidth: 18, label: { show: true, position: "right", formatter: function (p) { return fmt(spec.format, p.value); } } }]
    };
  }

  /* Fan rate per script as bars, the 95% Wilson interval as error bars (a custom series). */
  function ci(spec) {
    var errors = spec.labels.map(function (label, i) { return [i, spec.low[i], spec.high[i]]; });
    return {
      color: [BRAND],
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (params) {
          var i = params[0].dataIndex;
          return spec.labels[i] + "<br>" + spec.name + " " + fmt("rate", spec.values[i]) +
            "<br>95% CI " + fmt("rate", spec.low[i]) + " – " + fmt("rate", spec.high[i]) +
            "<br>n = " + spec.requests[i];
        }
      },
      xAxis: { type: "category", data: spec.labels },
      yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
      series: [
        { name: spec.name, type: "bar", data: spec.values, barMaxWidth: 48, itemStyle: { color: function (p) { return spec.colors[p.dataIndex] || BRAND; } } },
        {
          type: "custom", name: "95% CI", data: errors, z: 10, tooltip: { show: false },
          renderItem: function (params, api) {
            if (api.value(1) === null || isNaN(api.value(1))) return null;
            var low = api.coord([api.value(0), api.value(1)]), high = api.coord([api.value(0), api.value(2)]);
            var half = Math.min(api.size([1, 0])[0] * 0.15, 10);
            var style = { stroke: "#374151", lineWidth: 1.5 };
            return { type: "group", children: [
              { type: "line", shape: { x1: high[0], y1: high[1], x2: low[0], y2: low[1] }, style: style },
              { type: "line", shape: { x1: high[0] - half, y1: high[1], x2: high[0] + half, y2: high[1] }, style: style },
              { type: "line", shape: { x1: low[0] - half, y1: low[1], x2: low[0] + half, y2: low[1] }, style: style }
            ] };
          }
        }
      ]
    };
  }

  function lines(spec) {
    return {
      color: PALETTE,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(spec.format, v); } },
      xAxis: { type: "category", data: spec.dates, boundaryGap: false },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return tick(spec.format, v); } } },
      series: spec.series.map(function (s, i) {
        var line = { name: s.name, type: "line", data: s.values, symbol: "none", smooth: true };
        // A benchmark (e.g. the 15% weekly speaking rate) as one dashed line across the chart.
        if (i === 0 && spec.benchmark) {
          line.markLine = { silent: true, symbol: "none", lineStyle: { color: "#ef4444", type: "dashed" }, label: { formatter: spec.benchmark.label, position: "insideEndTop" }, data: [{ yAxis: spec.benchmark.value }] };
        }
        return line;
      })
    };
  }

  function funnel(spec) {
    return {
      color: PALETTE,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: spec.stages },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.values, barMaxWidth: 56 }; })
    };
  }

  var BUILDERS = { trend: trend, bar: bar, ci: ci, lines: lines, funnel: funnel };

  function initCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      var build = BUILDERS[spec.kind];
      if (!build) return;
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(build(spec), true);
    });
  }

  function disposeCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.dispose();
    });
  }

  function cellValue(row, index, numeric) {
    var v = row.children[index].getAttribute("data-v");
    if (v === null) v = row.children[index].textContent.trim();
    if (!numeric) return v;
    return v === "" ? -Infinity : parseFloat(v);
  }

  function initSorting(root) {
    root.querySelectorAll("table.sortable th[data-sort]").forEach(function (th) {
      if (th.dataset.bound) return;
      th.dataset.bound = "1";
      th.addEventListener("click", function () {
        var table = th.closest("table"), body = table.tBodies[0];
        var index = Array.prototype.indexOf.call(th.parentNode.children, th);
        var numeric = th.getAttribute("data-sort") === "num";
        var desc = !th.classList.contains("sorted-desc");
        table.querySelectorAll("th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
        th.classList.add(desc ? "sorted-desc" : "sorted-asc");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return desc ? -order : order;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function init(root) { initCharts(root); initSorting(root); }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:beforeSwap", function (e) { disposeCharts(e.detail.target); });
  document.addEventListener("htmx:afterSettle", function () { init(document); });
  window.addEventListener("resize", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
})();
