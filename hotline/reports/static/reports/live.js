/* The big screen: draws from the json_script block, then refetches the data every minute (no inline code, CSP). */
(function () {
  "use strict";
  var charts = {};
  var PALETTE = ["#1f5fae", "#e4572e", "#17a398", "#f3a712", "#7768ae", "#c0392b", "#6c757d", "#2e8b57"];
  function rate(v) { return v === null || v === undefined ? "—" : v.toFixed(2) + "%"; }
  function cell(text, right) { var td = document.createElement("td"); td.textContent = text; if (right) { td.className = "text-end"; } return td; }
  function rows(id, items, fields) {
    var body = document.getElementById(id); body.textContent = "";
    items.forEach(function (item) { var tr = document.createElement("tr"); fields.forEach(function (f, i) { tr.appendChild(cell(f(item), i > 0)); }); body.appendChild(tr); });
  }
  function chart(id, config) { if (charts[id]) { charts[id].destroy(); } charts[id] = new Chart(document.getElementById(id), config); }
  function draw(data) {
    document.getElementById("live-at").textContent = "更新于 " + data.at + "，每分钟自动刷新";
    rows("live-units", data.units, [function (u) { return u.unit; }, function (u) { return u.open; }, function (u) { return u.overdue; }]);
    rows("live-counties", data.counties, [function (c) { return c.county; }, function (c) { return c.received; }, function (c) { return rate(c.reply_on_time_rate); }, function (c) { return rate(c.satisfaction_rate); }]);
    var list = document.getElementById("live-hotspots"); list.textContent = "";
    data.hotspots.forEach(function (h) { var li = document.createElement("li"); li.textContent = h.topic + "：" + h.count + "件"; list.appendChild(li); });
    if (typeof Chart === "undefined") { return; }
    chart("live-hours", { type: "bar", data: { labels: data.today.hours, datasets: data.today.series.filter(function (s) { return s.total; }).map(function (s, i) { return { label: s.label, data: s.data, backgroundColor: PALETTE[i % PALETTE.length] }; }) },
      options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } });
    chart("live-satisfaction", { type: "line", data: { labels: data.satisfaction.days, datasets: [{ label: "满意率%", data: data.satisfaction.rates, borderColor: PALETTE[1], spanGaps: true }] },
      options: { animation: false, scales: { y: { min: 0, max: 100 } } } });
  }
  function refresh() {
    var source = document.getElementById("live-at").getAttribute("data-source");
    fetch(source, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (d) { if (d) { draw(d); } }).catch(function () {});
  }
  function start() { draw(JSON.parse(document.getElementById("live-data").textContent)); setInterval(refresh, 60000); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
