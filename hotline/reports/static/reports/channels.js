/* Daily tickets per channel as a stacked bar chart; the data comes from a json_script block (no inline code). */
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("channel-chart");
    var data = JSON.parse(document.getElementById("channel-chart-data").textContent);
    if (!canvas || typeof Chart === "undefined") { return; }

    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: data.series },
      options: { responsive: true, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
                 plugins: { legend: { position: "bottom" } } }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
