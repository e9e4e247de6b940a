// Borgen: small enhancements only; every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions (archive, revoke, remove).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    }
  });
  // After a failed form post, move focus to the error summary so that
  // keyboard and screen-reader users hear what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary[tabindex]");
    if (summary) summary.focus();
  });
  // Pressing "/" focuses the search field of a list.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return;
    var q = document.querySelector("form.filters input[type=search]");
    if (q) { e.preventDefault(); q.focus(); }
  });
})();
