// Progressive enhancement only: a live character count for comments and
// focus on the error summary. The form works without this file.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-counter]").forEach(function (ta) {
    var out = document.getElementById(ta.getAttribute("data-counter"));
    if (!out) return;
    out.setAttribute("aria-live", "polite");
    var max = parseInt(ta.getAttribute("maxlength"), 10);
    var update = function () {
      out.textContent = (max - ta.value.length) + " characters left";
    };
    ta.addEventListener("input", update);
    update();
  });
  var errors = document.getElementById("errors");
  if (errors) errors.focus();
})();
