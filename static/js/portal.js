/* Progressive enhancement only: every page works without it. */
(function () {
  "use strict";

  // Buttons, forms and links with data-confirm="..." ask before they act.
  document.addEventListener("submit", function (event) {
    var source = event.submitter && event.submitter.hasAttribute("data-confirm") ? event.submitter : event.target;
    var message = source.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-confirm]");
    if (link && !window.confirm(link.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // The estimate's operator list follows the port area: choosing another area sends the form again without the
  // operators ticked for the old one, so the page lists (and prices) the new area's operators.
  var port = document.querySelector("#shipment select[name=port]");
  if (port) {
    port.addEventListener("change", function () {
      port.form.querySelectorAll("input[name=operator]").forEach(function (box) {
        box.checked = false;
      });
      port.form.submit();
    });
  }

  // After a failed submission, bring the error summary into view and give it focus for screen readers.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
})();
