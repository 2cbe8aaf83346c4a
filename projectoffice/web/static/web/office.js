// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
document.addEventListener("keydown", (event) => {
  // "/" focuses the page's search box, as in most web tools.
  if (event.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
    const search = document.querySelector("input[type=search]");
    if (search) { event.preventDefault(); search.focus(); }
  }
});
// Boxes that scroll sideways (wide tables, week grids, charts) can be scrolled from the
// keyboard: each takes focus and is named after its table or the nearest heading.
const SCROLLERS = ".table-wrap, .week-scroll, .master-scroll, .ts-scroll, .trend-wrap, .plan-chart, [style*='overflow']";
function scrollerName(box) {
  const table = box.querySelector("table");
  const caption = table && table.querySelector("caption");
  const heading = box.closest("section, .card, details, main")?.querySelector("h2, h3, h1");
  const name = (table && table.getAttribute("aria-label")) || (caption && caption.textContent)
    || (heading && heading.textContent) || document.title.split(" · ")[0];
  return name.trim().replace(/\s+/g, " ");
}
function markScrollers(root) {
  const boxes = [...root.querySelectorAll(SCROLLERS)];
  if (root.matches && root.matches(SCROLLERS)) boxes.push(root);
  for (const box of boxes) {
    if (box.hasAttribute("tabindex")) continue;
    box.tabIndex = 0;
    box.dataset.scrollRegion = "";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", scrollerName(box));
  }
}
markScrollers(document);
document.addEventListener("htmx:load", (event) => markScrollers(event.detail.elt));
// On a phone the navigation folds behind a Menu button, so a page starts with its content.
(function foldNavigation() {
  const nav = document.querySelector(".sidebar");
  const toggle = nav && nav.querySelector(".nav-toggle");
  if (!toggle) return;
  const narrow = window.matchMedia("(max-width: 900px)");
  const set = (open) => {
    nav.classList.toggle("folded", !open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.hidden = false;
  toggle.addEventListener("click", () => set(nav.classList.contains("folded")));
  const follow = () => set(!narrow.matches);
  narrow.addEventListener("change", follow);
  follow();
})();
