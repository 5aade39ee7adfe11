// Hookwire admin pages: a copy button for one-time secrets and confirmations before changes
// that cannot be taken back. Everything works without this script; it only adds convenience.
(function () {
  "use strict";

  function copyText(input, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      button.classList.add("copied");
      setTimeout(function () {
        button.textContent = label;
        button.classList.remove("copied");
      }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        input.select();
      });
    } else {
      input.focus();
      input.select();
      try {
        if (document.execCommand("copy")) {
          done();
        }
      } catch (e) {
        // Selected: the user can copy it with the keyboard.
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(input, button);
      });
    });

    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });

    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
