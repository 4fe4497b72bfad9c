// Accessibility fixes for elements the Material theme creates without a name (WCAG 4.1.2).
(() => {
  const fix = () => {
    // The search overlay is a dialog and needs an accessible name.
    const search = document.querySelector(".md-search[role='dialog']:not([aria-label])");
    if (search) search.setAttribute("aria-label", "Search");
    // Each code block's copy button sits in a <nav>, which makes every code block an unnamed
    // navigation landmark; it holds a button, not navigation, so it is no landmark.
    for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) {
      nav.setAttribute("role", "none");
    }
  };
  document.addEventListener("DOMContentLoaded", () => {
    fix();
    new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
  });
})();
