// The claims table: a box that chooses every claim on the page, and the bulk
// bar showing only the input its action needs (assignee, or a reason).
(function () {
  "use strict";

  function setUp(root) {
    const all = root.querySelector("#check-all");
    if (all) all.hidden = false;
    const action = root.querySelector("#bulk-action");
    if (action) showInputsFor(action);
  }

  function showInputsFor(action) {
    const form = action.form;
    form.querySelector("#bulk-assignee").hidden = action.value !== "assign";
    form.querySelector("#bulk-reason").hidden = action.value !== "dismiss";
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.id === "check-all") {
      document.querySelectorAll("#claims-table input[name=claim]").forEach(function (box) {
        box.checked = target.checked;
      });
    } else if (target.id === "bulk-action") {
      showInputsFor(target);
    }
  });

  setUp(document);
  document.addEventListener("htmx:load", function (event) {
    setUp(event.target);
  });
})();
