/* Behaviour of the hotline screens. A static file, not inline script, so a strict CSP can forbid inline code. */
(function () {
  "use strict";

  /* The same wording as hotline.deadlines.display.format_span: the two largest units, rounded down. */
  function span(ms) {
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    if (days) { return hours ? days + " 天 " + hours + " 小时" : days + " 天"; }
    if (hours) { return mins ? hours + " 小时 " + mins + " 分钟" : hours + " 小时"; }
    return mins ? mins + " 分钟" : "不足 1 分钟";
  }

  /* Keep every countdown badge current; the server rendered the same text and colour on page load. */
  function refreshCountdowns(root) {
    var now = Date.now();
    (root || document).querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var left = Date.parse(el.dataset.due) - now;
      var warn = parseInt(el.dataset.warn || "14400", 10) * 1000;
      var css = left <= 0 ? "danger" : (left <= warn ? "warning" : "success");
      el.textContent = left <= 0 ? "已超时 " + span(-left) : "剩余 " + span(left);
      el.classList.remove("text-bg-danger", "text-bg-warning", "text-bg-success", "text-dark");
      el.classList.add("text-bg-" + css);
      if (css === "warning") { el.classList.add("text-dark"); }
    });
  }

  function panelOf(el) {
    return el && el.closest ? el.closest("[data-suggest-panel]") : null;
  }

  function init() {
    refreshCountdowns(document);
    setInterval(function () { refreshCountdowns(document); }, 30000);

    /* The knowledge suggestion box sends the textarea's text as ?q= (the endpoint's parameter name). */
    document.body.addEventListener("htmx:configRequest", function (evt) {
      var elt = evt.detail.elt;
      var param = elt && elt.dataset ? elt.dataset.suggestParam : null;
      if (param) { evt.detail.parameters[param] = elt.value; }
    });

    /* Suggestion endpoints belong to other modules and may be absent (404) or failing: hide their panel. */
    function hidePanel(evt) {
      var panel = panelOf(evt.detail.target) || panelOf(evt.detail.elt);
      if (panel) { panel.classList.add("d-none"); }
    }
    document.body.addEventListener("htmx:responseError", hidePanel);
    document.body.addEventListener("htmx:sendError", hidePanel);

    document.body.addEventListener("htmx:afterSwap", function (evt) {
      var panel = panelOf(evt.detail.target);
      if (panel) { panel.classList.toggle("d-none", evt.detail.target.textContent.trim() === ""); }
      refreshCountdowns(evt.detail.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// A print button without an inline handler (the content security policy forbids those).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
});
