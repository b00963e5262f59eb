/* Daily tickets per channel as a stacked bar chart; the data comes from a json_script block (no inline code). */
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("channel-chart");
    var data = JSON.parse(document.getElementById("channel-chart-data").textContent);
    if (!canvas || typeof Chart === "undefined") { return; }
    /* Eight channels, eight distinguishable colours (Chart.js's default palette repeats after seven). */
    var palette = ["#1f5fae", "#e4572e", "#17a398", "#f3a712", "#7768ae", "#c0392b", "#6c757d", "#2e8b57"];
    data.series.forEach(function (series, i) {
      series.backgroundColor = palette[i % palette.length];
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: data.series },
      options: { responsive: true, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
                 plugins: { legend: { position: "bottom" } } }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
