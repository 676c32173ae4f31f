// Draws the dashboard's charts from the JSON each figure carries (the same numbers as its table).
// No animation: charts are drawn at once, for screen readers' users switching views, for print
// and for the browser tests that photograph them.
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var palette = ["#0d6efd", "#198754", "#ffc107", "#adb5bd", "#dc3545", "#6f42c1", "#20c997", "#fd7e14"];
  var body = getComputedStyle(document.body);
  Chart.defaults.font.family = body.fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = body.color;
  Chart.defaults.animation = false;

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var doughnut = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = doughnut ? palette.slice(0, dataset.data.length) : palette[index % palette.length];
      return {label: dataset.label, data: dataset.data, backgroundColor: colour, borderWidth: doughnut ? 1 : 0};
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      plugins: {legend: {display: doughnut || datasets.length > 1, position: "bottom"}},
    };
    if (!doughnut) {
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = {
        x: {stacked: spec.stacked, beginAtZero: true, ticks: {precision: 0}},
        y: {stacked: spec.stacked, beginAtZero: true, ticks: {precision: 0}},
      };
      if (spec.percent) {
        options.scales[spec.horizontal ? "x" : "y"].max = 100;
      }
    }
    new Chart(canvas, {type: spec.type, data: {labels: spec.labels, datasets: datasets}, options: options});
    canvas.dataset.drawn = "1";
  });
})();
