// Silta's only script: enhancements on top of pages that work without it.
// - the main navigation starts folded on phones (it is open without JavaScript);
// - a form's error summary takes the focus, so screen readers read it first;
// - a table wider than its column scrolls inside itself and can be scrolled with the keyboard.
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 767px)");

  function foldNavigation() {
    var nav = document.querySelector("details.site-nav");
    if (nav) {
      nav.open = !phone.matches;
    }
  }

  function focusErrorSummary() {
    var summary = document.querySelector("[data-autofocus]");
    if (summary) {
      summary.focus();
    }
  }

  function scrollableTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.dataset.scrollable = "true";
      } else if (!scrolls && table.dataset.scrollable) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrollable;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldNavigation();
    focusErrorSummary();
    scrollableTables();
    phone.addEventListener("change", foldNavigation);
    window.addEventListener("resize", scrollableTables);
  });
})();
