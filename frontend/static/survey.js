// Progressive enhancement only: the form works without this file.
// - a character count under each comment box (read on focus through
//   aria-describedby, not announced on every keystroke);
// - focus on the error summary after a failed submission, and links in it
//   that focus the question's first choice with its statement in view.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-counter]").forEach(function (ta) {
    var out = document.getElementById(ta.getAttribute("data-counter"));
    if (!out) return;
    var max = parseInt(ta.getAttribute("maxlength"), 10);
    var update = function () {
      var left = max - ta.value.length;
      // The page's language words the count (data-left-one, data-left-other).
      var words = ta.getAttribute(left === 1 ? "data-left-one" : "data-left-other") || "{n} characters left";
      out.textContent = words.replace("{n}", left);
    };
    ta.addEventListener("input", update);
    update();
  });
  var errors = document.getElementById("errors");
  if (!errors) return;
  errors.querySelectorAll("a[href^='#']").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      var target = document.getElementById(a.getAttribute("href").slice(1));
      if (!target) return;
      var input = target.querySelector("input:checked") || target.querySelector("input, textarea");
      if (!input) return;
      ev.preventDefault();
      target.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  });
  errors.focus();
})();
