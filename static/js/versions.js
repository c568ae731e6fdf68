// Re-placing an orphaned claim: fill its form from the text selected in the
// article (offsets in Unicode code points, as the server counts them; the
// selection is read by workbench.js).
(function () {
  "use strict";

  function showButtons() {
    const text = document.getElementById("article-text");
    document.querySelectorAll("[data-use-selection]").forEach(function (button) {
      button.hidden = !text;
    });
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-use-selection]");
    if (!button) return;
    const form = button.closest("form");
    const text = document.getElementById("article-text");
    const span = text && window.Workbench.selectionSpan(text);
    if (!form || !span) {
      button.textContent = "Select the passage in the text first";
      return;
    }
    form.querySelector('[data-selection="start"]').value = span.start;
    form.querySelector('[data-selection="end"]').value = span.end;
    form.querySelector('[data-selection="quote"]').value = span.quote;
    button.textContent = "Use selected text";
  });

  // A typed quote replaces a selection: offsets would no longer match it.
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches('[data-selection="quote"]')) {
      const form = event.target.closest("form");
      form.querySelector('[data-selection="start"]').value = "";
      form.querySelector('[data-selection="end"]').value = "";
    }
  });

  document.addEventListener("htmx:afterSettle", showButtons);
  document.addEventListener("DOMContentLoaded", showButtons);
})();
