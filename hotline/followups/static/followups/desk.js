/* The follow-up desk, keyboard-first like the call desk: in the queue ↑/↓ move and Enter opens a ticket; on the call
   screen Alt+1…Alt+5 choose the satisfaction level (5 非常满意 … 1 非常不满意), Alt+Y/Alt+N answer "联系上",
   Alt+U marks the unit's fault, and Ctrl+Enter saves the call. */
(function () {
  "use strict";

  function queue() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#follow-up-queue tbody tr[data-number]"));
    if (!rows.length) { return; }
    rows[0].focus();
    document.addEventListener("keydown", function (evt) {
      var at = rows.indexOf(document.activeElement);
      if (evt.key === "ArrowDown" || evt.key === "ArrowUp") {
        evt.preventDefault();
        var next = Math.max(0, Math.min(rows.length - 1, at + (evt.key === "ArrowDown" ? 1 : -1)));
        rows[next].focus();
      } else if (evt.key === "Enter" && at >= 0) {
        evt.preventDefault();
        rows[at].querySelector("a").click();
      }
    });
  }

  function set(form, name, value) {
    var el = form.elements.namedItem(name);
    if (el) { el.value = value; el.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  function callForm() {
    var form = document.getElementById("follow-up-form");
    if (!form) { return; }
    document.addEventListener("keydown", function (evt) {
      if (evt.ctrlKey && evt.key === "Enter") { evt.preventDefault(); form.requestSubmit(); return; }
      if (!evt.altKey) { return; }
      var key = evt.key.toLowerCase();
      if ("12345".indexOf(key) >= 0 && key.length === 1) { evt.preventDefault(); set(form, "satisfaction", key); set(form, "reached", "yes"); }
      else if (key === "y") { evt.preventDefault(); set(form, "reached", "yes"); }
      else if (key === "n") { evt.preventDefault(); set(form, "reached", "no"); }
      else if (key === "u") { evt.preventDefault(); set(form, "fault", "unit"); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { queue(); callForm(); });
}());
