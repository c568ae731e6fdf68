// The workbench's only script: turning a text selection into a claim form,
// opening claims from highlights, and showing refused actions. Everything
// else is htmx attributes in the templates.
(function () {
  "use strict";

  // Offsets are counted in Unicode code points, as Python counts them, not
  // in the UTF-16 units JavaScript strings use (an emoji is 1, not 2).
  function codePoints(text) {
    return Array.from(text).length;
  }

  function textOffset(container, node, offset) {
    const range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }

  function selectionSpan(container) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    const text = range.toString();
    if (!text.trim()) return null;
    let start = textOffset(container, range.startContainer, range.startOffset);
    let end = textOffset(container, range.endContainer, range.endOffset);
    // Double-click and drag often catch surrounding spaces; a quote should not.
    start += codePoints(text) - codePoints(text.replace(/^\s+/, ""));
    end -= codePoints(text) - codePoints(text.replace(/\s+$/, ""));
    return end > start ? { start: start, end: end, quote: text.trim() } : null;
  }

  // Shared with the page scripts that also read selections (versions.js).
  window.Workbench = { selectionSpan: selectionSpan };

  function openClaimForm(container) {
    const url = container.dataset.newClaimUrl;
    if (!url) return false;
    const span = selectionSpan(container);
    if (!span) return false;
    htmx.ajax("GET", url + "?start=" + span.start + "&end=" + span.end, { target: "#claim-panel" });
    return true;
  }

  // Keyboard users (caret browsing, or no selection at all) open the form
  // with a button; without a selection the analyst types the quote.
  function openClaimFormFromButton() {
    const container = document.getElementById("article-text");
    if (!container || !container.dataset.newClaimUrl) return;
    if (!openClaimForm(container)) {
      htmx.ajax("GET", container.dataset.newClaimUrl, { target: "#claim-panel" });
    }
  }

  function openClaimsAt(mark) {
    const container = mark.closest("#article-text");
    htmx.ajax("GET", container.dataset.claimsAtUrl + "?offset=" + mark.dataset.offset, {
      target: "#claim-panel",
    });
  }

  function markActive(claimId) {
    document.querySelectorAll("#article-text mark.active").forEach(function (m) {
      m.classList.remove("active");
    });
    if (!claimId) return;
    document.querySelectorAll("#article-text mark[data-claims]").forEach(function (m) {
      if (m.dataset.claims.split(" ").indexOf(String(claimId)) >= 0) m.classList.add("active");
    });
  }

  document.addEventListener("mouseup", function (event) {
    const container = event.target.closest && event.target.closest("#article-text");
    if (container) {
      // Let the selection settle before reading it.
      window.setTimeout(function () {
        openClaimForm(container);
      }, 0);
    }
  });

  document.addEventListener("click", function (event) {
    const mark = event.target.closest && event.target.closest("#article-text mark[data-claims]");
    if (mark) {
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) return; // a drag that ended on a highlight
      openClaimsAt(mark);
      return;
    }
    if (event.target.closest && event.target.closest("#new-claim-button")) {
      openClaimFormFromButton();
      return;
    }
    const opener = event.target.closest && event.target.closest("[data-scroll-to]");
    if (opener) {
      const id = opener.dataset.scrollTo;
      const anchor = document.querySelector('#article-text mark[data-starts~="' + id + '"]');
      if (anchor) {
        anchor.scrollIntoView({ behavior: "smooth", block: "center" });
        anchor.classList.add("flash");
        window.setTimeout(function () {
          anchor.classList.remove("flash");
        }, 1600);
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    const mark = event.target.closest && event.target.closest("#article-text mark[tabindex]");
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openClaimsAt(mark);
    }
  });

  // After the panel shows a claim, light up its highlight in the text.
  document.addEventListener("htmx:afterSettle", function () {
    const detail = document.querySelector("#claim-panel [data-claim-id]");
    markActive(detail ? detail.dataset.claimId : null);
  });

  // Answers htmx does not swap (server errors, lost connection) still say something.
  function alertText(text) {
    const alerts = document.getElementById("alerts");
    if (!alerts) return;
    const p = document.createElement("p");
    p.className = "alert alert-error";
    p.textContent = text;
    alerts.replaceChildren(p);
  }
  document.addEventListener("htmx:responseError", function (event) {
    alertText("The server could not complete that (HTTP " + event.detail.xhr.status + "). Nothing was changed; try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    alertText("The workbench could not be reached. Check the connection and try again.");
  });
  // Clear an old alert when a new request succeeds elsewhere.
  document.addEventListener("htmx:beforeRequest", function () {
    const alerts = document.getElementById("alerts");
    if (alerts) alerts.replaceChildren();
  });
})();
