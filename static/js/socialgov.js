// SocialGov front-end behaviour. No inline scripts anywhere (Content-Security-Policy).
document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-confirm ask before they submit (e.g. recording a leaver).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // A table wider than the screen scrolls sideways in its own box: such a box takes keyboard
  // focus, so it can be scrolled with the arrow keys too (WCAG 2.1.1).
  const scrollBoxes = () => {
    document.querySelectorAll(".table-responsive, .policy-text table").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    });
  };
  scrollBoxes();
  window.addEventListener("resize", scrollBoxes);
  // A submitted form's buttons are disabled, so a double click sends it once.
  document.querySelectorAll("form[method=post]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      window.setTimeout(() => {
        form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
      }, 0);
    });
  });
});
