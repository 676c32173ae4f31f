/* Behaviour that templates ask for with data attributes, instead of inline handlers (the
   Content-Security-Policy runs no onclick=/onsubmit=/onchange= and no inline script):
     <form data-km-confirm="Question?">  asks before the form is sent;
     <select data-km-autosubmit>         sends its form when the choice changes;
     <button data-km-print hidden>       shown, and prints the page when pressed.
   Plain JavaScript, no libraries; every page works without it. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-km-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-km-autosubmit") && field.form) {
      if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-km-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function (event) {
        event.preventDefault();
        window.print();
      });
    });
  });
}());
