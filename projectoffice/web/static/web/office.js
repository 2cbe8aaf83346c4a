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
const SCROLLERS = ".table-wrap, .week-scroll, .ts-scroll, .trend-wrap, .plan-chart, [style*='overflow']";
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
// Behaviours declared in the markup, so that no page needs inline script (the
// Content-Security-Policy allows scripts from the office's own files only).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (!field || !field.form) return;
  const disables = field.dataset.disables;  // e.g. a hidden fallback the checkbox replaces
  if (disables) field.form.querySelectorAll(disables).forEach((el) => { el.disabled = field.checked; });
  field.form.submit();
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
// A select that chooses which groups of a form apply: <select data-shows-groups> with groups
// marked data-kinds="kind other-kind".
function showGroups(select) {
  const form = select.closest("form");
  form.querySelectorAll("[data-kinds]").forEach((el) => {
    el.hidden = el.dataset.kinds.split(" ").indexOf(select.value) < 0;
  });
}
function initGroups(root) {
  root.querySelectorAll("select[data-shows-groups]").forEach(showGroups);
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-shows-groups]")) showGroups(event.target);
});
initGroups(document);
document.addEventListener("htmx:load", (event) => initGroups(event.detail.elt));
