// The header's menu button opens and closes the theme's navigation drawer (its checkbox #__drawer),
// says whether it is open, takes the keyboard into it and back out with Escape. While closed, the
// drawer is hidden (layout.css), so its links take no Tab stop off screen.
(function () {
  "use strict";
  var button = document.querySelector(".archive-menu-button");
  var drawer = document.getElementById("__drawer");
  if (!button || !drawer) return;
  var sidebar = document.querySelector(".md-sidebar--primary");

  function show() {
    button.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
  }

  function setOpen(open) {
    if (drawer.checked === open) return;
    drawer.checked = open;
    drawer.dispatchEvent(new Event("change", { bubbles: true }));
    show();
  }

  button.addEventListener("click", function () {
    setOpen(!drawer.checked);
    if (drawer.checked && sidebar) {
      var first = sidebar.querySelector("a[href], button, input");
      if (first) first.focus();
    }
  });
  drawer.addEventListener("change", show);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer.checked) {
      setOpen(false);
      button.focus();
    }
  });
  show();
})();
