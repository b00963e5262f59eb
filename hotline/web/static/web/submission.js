/* Forms that create a ticket carry a submission key (hotline.channels.submissions). Going back to a submitted form
   makes the browser fetch the page again with a new key while it restores the typed text; submitting that same text
   again must send the first key, so the server answers with the first ticket instead of registering a second.
   A form whose content was changed after going back is a new submission and keeps its new key. */
(function () {
  "use strict";

  function cameBack() {
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    return !!nav && nav.type === "back_forward";
  }

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var input = form && form.querySelector ? form.querySelector("input[data-submission-key]") : null;
    if (!input) { return; }
    var store = "hotline.submission:" + window.location.pathname;
    var content = form.querySelector("[name=content]");
    var text = content ? content.value : "";
    var last = null;
    try { last = JSON.parse(window.sessionStorage.getItem(store) || "null"); } catch (e) { last = null; }
    if (last && cameBack() && last.text === text) { input.value = last.key; }
    window.sessionStorage.setItem(store, JSON.stringify({ key: input.value, text: text }));
  }, true);
})();
