/* Content warnings: the overlay must be acknowledged before the player and the texts appear.
   Ticking "don't warn me again" remembers it for this browser session only. */
(function () {
  "use strict";
  var overlay = document.getElementById("content-warning");
  var content = document.querySelector(".warned");
  if (!overlay || !content) return;
  var key = overlay.dataset.key;
  function reveal() {
    overlay.hidden = true;
    content.hidden = false;
    document.dispatchEvent(new Event("songkeeper:acknowledged"));
  }
  if (window.sessionStorage.getItem(key) === "acknowledged") { reveal(); return; }
  document.getElementById("cw-continue").addEventListener("click", function () {
    if (document.getElementById("cw-session").checked) window.sessionStorage.setItem(key, "acknowledged");
    reveal();
  });
})();
