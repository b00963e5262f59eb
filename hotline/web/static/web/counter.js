/* A live character count under every textarea with data-max-chars (hotline.lib.textlimit): counted as the server
   counts (code points, so an emoji is one; a line break is one), red beyond the limit. Nothing is ever cut. */
(function () {
  "use strict";

  function count(text) { return Array.from(text.replace(/\r\n/g, "\n")).length; }

  function counterFor(area) {
    var id = area.id ? area.id + "-count" : "";
    var el = id ? document.getElementById(id) : null;
    if (!el) {
      el = document.createElement("div");
      el.className = "form-text hl-char-count";
      if (id) { el.id = id; }
      el.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", el);
    }
    return el;
  }

  function update(area) {
    var max = parseInt(area.dataset.maxChars, 10);
    var n = count(area.value);
    var el = counterFor(area);
    var over = n > max;
    el.textContent = "已输入 " + n + " / " + max + " 字" + (over ? "，超出 " + (n - max) + " 字" : "");
    el.classList.toggle("text-danger", over);
    el.classList.toggle("fw-bold", over);
    area.classList.toggle("is-invalid", over);
  }

  function init(root) {
    (root || document).querySelectorAll("textarea[data-max-chars]").forEach(update);
  }

  document.addEventListener("input", function (evt) {
    var t = evt.target;
    if (t && t.matches && t.matches("textarea[data-max-chars]")) { update(t); }
  });
  document.addEventListener("htmx:afterSwap", function (evt) { init(evt.detail.target); });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { init(); }); }
  else { init(); }
})();
