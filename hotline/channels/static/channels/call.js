/* The call-intake page: keyboard shortcuts, action-specific fields, picks from the panels, and a draft that survives
   a page reload (sessionStorage: it stays in this browser tab only and is gone when the tab closes). */
(function () {
  "use strict";
  var DRAFT = "hotline.call.draft";
  var ACTIONS = ["transfer", "answer", "consult", "decline", "merge", "hand_off"];

  function form() { return document.getElementById("call-form"); }
  function field(name) { return form().elements.namedItem(name); }

  function showActionFields() {
    var action = field("action").value;
    form().querySelectorAll(".action-fields").forEach(function (fs) {
      fs.classList.toggle("d-none", fs.dataset.action !== action);
    });
    var reason = field("decline_reason").value;
    document.querySelectorAll("#decline-scripts li").forEach(function (li) {
      li.classList.toggle("d-none", li.dataset.reason !== reason);
    });
  }

  function chooseAction(action, focusName) {
    field("action").value = action;
    showActionFields();
    var target = focusName ? field(focusName) : null;
    var first = target || form().querySelector('.action-fields[data-action="' + action + '"] select, ' +
      '.action-fields[data-action="' + action + '"] textarea, .action-fields[data-action="' + action + '"] input');
    (first || field("content")).focus();
    saveDraft();
  }

  function saveDraft() {
    var data = {};
    Array.prototype.forEach.call(form().elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "hidden" && el.name !== "knowledge_article") { return; }
      data[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    sessionStorage.setItem(DRAFT, JSON.stringify(data));
  }

  function restoreDraft() {
    var raw = sessionStorage.getItem(DRAFT);
    if (!raw || form().dataset.bound === "1") { return; }
    var data = JSON.parse(raw);
    Object.keys(data).forEach(function (name) {
      var el = field(name);
      if (!el || el instanceof RadioNodeList) { return; }
      if (el.type === "checkbox") { el.checked = !!data[name]; } else { el.value = data[name]; }
    });
  }

  function clearForm() {
    sessionStorage.removeItem(DRAFT);
    form().reset();
    showActionFields();
    field("phone").focus();
  }

  function onKey(evt) {
    if (evt.ctrlKey && evt.key === "Enter") { evt.preventDefault(); form().requestSubmit(); return; }
    if (evt.key === "Escape" && !evt.ctrlKey) {
      if (window.confirm("清空当前来电登记？")) { clearForm(); }
      return;
    }
    if (evt.altKey && (evt.key === "u" || evt.key === "U")) {
      evt.preventDefault();
      var first = document.querySelector("#routing-suggestions .pick-unit");
      if (first) { pickUnit(first); }
      return;
    }
    if (evt.altKey && /^[1-6]$/.test(evt.key)) {
      evt.preventDefault();
      chooseAction(ACTIONS[parseInt(evt.key, 10) - 1]);
    }
  }

  function pickUnit(el) {
    field("lead_unit").value = el.dataset.unit;
    if (el.dataset.topic && !field("topic").value) { field("topic").value = el.dataset.topic; }
    chooseAction("transfer", "lead_unit");
  }

  function onClick(evt) {
    var el = evt.target.closest ? evt.target.closest("button, a") : null;
    if (!el) { return; }
    if (el.classList.contains("merge-pick")) {
      field("merge_into").value = el.dataset.number;
      chooseAction("merge", "merge_into");
    } else if (el.classList.contains("pick-unit")) {
      pickUnit(el);
    } else if (el.classList.contains("pick-type")) {
      field("request_type").value = el.dataset.type; saveDraft();
    } else if (el.classList.contains("pick-topic")) {
      field("topic").value = el.dataset.topic; saveDraft();
    } else if (el.dataset.answerText) {
      /* A knowledge article offered in the knowledge panel: answer from it. */
      evt.preventDefault();
      field("answer_text").value = el.dataset.answerText;
      field("knowledge_article").value = el.dataset.articleId || "";
      chooseAction("answer", "answer_text");
    }
  }

  /* Art. 18: a deputy's call is taken in the deputy channel. The caller panel found the number in the deputies'
     register: set the channel where the operator sees it (the server does the same), and undo it if the number
     changes to someone else's. */
  function onCallerPanel(evt) {
    if (!evt.detail.target || evt.detail.target.id !== "caller-panel") { return; }
    var channel = field("channel");
    var isDeputy = !!document.getElementById("deputy-badge");
    if (isDeputy && channel.value === "phone") {
      channel.value = "deputy";
      channel.dataset.setByDeputy = "1";
      saveDraft();
    } else if (!isDeputy && channel.dataset.setByDeputy === "1") {
      channel.value = "phone";
      delete channel.dataset.setByDeputy;
      saveDraft();
    }
    channel.classList.toggle("border-info", channel.value === "deputy");
  }

  function init() {
    if (!form()) { return; }
    document.body.addEventListener("htmx:afterSwap", onCallerPanel);
    if (document.getElementById("call-done")) { sessionStorage.removeItem(DRAFT); }
    restoreDraft();
    showActionFields();
    form().addEventListener("input", saveDraft);
    form().addEventListener("change", function () { showActionFields(); saveDraft(); });
    document.addEventListener("keydown", onKey);
    document.body.addEventListener("click", onClick);
    /* The knowledge panel asks with the content as ?q=: its first 200 characters (code points, as the server counts)
       are query enough, and a pasted page of text would not fit in a URL (414). */
    document.body.addEventListener("htmx:configRequest", function (evt) {
      if (evt.detail.elt && evt.detail.elt.id === "kb-panel") {
        evt.detail.parameters.q = Array.from(field("content").value).slice(0, 200).join("");
      }
    });
    field("phone").focus();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
