/* Evaluation pages: the distribution of totals (cycle overview) and the evidence sparklines. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var distribution = readJson("distribution-data");
  var distributionNode = document.getElementById("distribution-chart");
  if (distribution && distributionNode) {
    var chart = echarts.init(distributionNode);
    chart.setOption({
      grid: { left: 36, right: 12, top: 16, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: distribution.buckets },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: distribution.counts, itemStyle: { color: "#07c160" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var evidence = readJson("evidence-series");
  if (evidence) {
    document.querySelectorAll(".spark[data-metric]").forEach(function (node) {
      var values = evidence.series[node.dataset.metric] || [];
      if (!values.some(function (v) { return v !== null; })) {
        node.textContent = "—";
        node.classList.add("no-data");
        return;
      }
      var spark = echarts.init(node);
      spark.setOption({
        animation: false,
        grid: { left: 2, right: 2, top: 4, bottom: 4 },
        tooltip: { trigger: "axis", confine: true },
        xAxis: { type: "category", data: evidence.dates, show: false },
        yAxis: { type: "value", show: false, scale: true },
        series: [{ type: "line", data: values, symbol: "none", connectNulls: false, lineStyle: { width: 1.5, color: "#2563eb" } }]
      });
    });
  }
})();
