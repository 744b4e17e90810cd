// Progressive enhancement for the signed-in pages; each works without it.
// - "Copy link" buttons (hidden without JavaScript) copy a link box's text
//   with the Clipboard API, or select it for Ctrl+C where that is refused;
// - read-only link boxes select their whole text when focused or tapped;
// - "Show full screen" also asks for the browser's full screen: the link's
//   #show target already fills the window with the QR code by CSS alone.
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    var select = function () { input.select(); };
    input.addEventListener("focus", select);
    input.addEventListener("click", select);
  });

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!input) return;
    var say = function (msg) { if (status) status.textContent = msg; };
    var fallback = function () {
      input.focus();
      input.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      say(copied ? "Link copied." : "The link is selected: press Ctrl+C (or \u2318C) to copy it.");
    };
    button.hidden = false;
    button.addEventListener("click", function () {
      // The Clipboard API needs a secure context (https or localhost).
      if (!navigator.clipboard || !window.isSecureContext) { fallback(); return; }
      navigator.clipboard.writeText(input.value).then(function () {
        input.select();
        say("Link copied.");
      }, fallback);
    });
  });

  document.querySelectorAll("a[data-fullscreen]").forEach(function (link) {
    var stage = document.getElementById(link.getAttribute("data-fullscreen"));
    if (!stage || !stage.requestFullscreen) return;
    link.addEventListener("click", function () {
      // The link still goes to #show; full screen hides the browser's bars too.
      stage.requestFullscreen().catch(function () {});
    });
  });
  document.querySelectorAll("[data-exit-fullscreen]").forEach(function (link) {
    link.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
    });
  });
  // Leaving full screen with Esc or the back gesture also closes the view,
  // back to where its Close link points.
  document.addEventListener("fullscreenchange", function () {
    var close = document.querySelector("#show [data-exit-fullscreen]");
    if (!document.fullscreenElement && location.hash === "#show") location.hash = close ? close.getAttribute("href").slice(1) : "";
  });
})();
