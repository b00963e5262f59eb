/* Draws the hotspot chart from the canvas's data-chart attribute (no inline script), again after an htmx swap. */
(function () {
  "use strict";
  var chart = null;
  function draw() {
    var canvas = document.getElementById("hotspot-chart");
    if (!canvas || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(canvas.dataset.chart || "{}");
    if (chart) { chart.destroy(); }
    chart = new window.Chart(canvas, {
      type: "line",
      data: data,
      options: {
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "工单数" } } }
      }
    });
    canvas.dataset.drawn = "1";
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
