// The facilitator's "Animation" menu is a <details> disclosure and works without this file.
// This only adds what a menu is expected to do: Escape closes it (focus back on its summary),
// and a click elsewhere on the page closes it.
(function () {
  "use strict";
  var menus = document.querySelectorAll("details.nav-menu");
  if (menus.length === 0) {
    return;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }

    menus.forEach(function (menu) {
      if (menu.open && menu.contains(document.activeElement)) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });

  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });
})();
