/* Copy buttons: a button with data-copy="ID" copies that field's value and says so. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copy), said = button.parentNode.querySelector(".copied");
      var done = function () { if (said) said.textContent = gettext("Copied."); };
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
