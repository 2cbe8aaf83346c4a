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
// Long drop-downs (a plan's tasks, people) become search-as-you-type pickers: a text box
// that filters the options as one types, arrows to move, Enter to choose, Escape to close.
// The <select> stays in the form, hidden, and holds the value, so the page works without
// JavaScript and the server reads the same field either way.
let pickerCount = 0;
function enhancePicker(select) {
  if (select.dataset.pickerReady) return;
  select.dataset.pickerReady = "1";
  const id = `picker-${++pickerCount}`;
  const box = document.createElement("div");
  box.className = "picker";
  const input = document.createElement("input");
  input.type = "text";
  input.className = "picker-input";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", `${id}-list`);
  input.placeholder = select.dataset.picker || "Type to search";
  input.autocomplete = "off";
  const label = select.id && document.querySelector(`label[for="${select.id}"]`);
  if (label) { input.id = `${select.id}-search`; label.htmlFor = input.id; }
  else input.setAttribute("aria-label", select.getAttribute("aria-label") || "Search");
  const list = document.createElement("ul");
  list.className = "picker-list";
  list.id = `${id}-list`;
  list.setAttribute("role", "listbox");
  list.hidden = true;
  box.append(input, list);
  select.after(box);
  select.hidden = true;
  select.tabIndex = -1;
  const options = [...select.options].filter((o) => o.value !== "");
  const chosen = select.selectedOptions[0];
  if (chosen && chosen.value) input.value = chosen.textContent.trim();
  let shown = [];
  let active = -1;
  const show = (items) => {
    shown = items.slice(0, 50);
    list.replaceChildren(...shown.map((o, k) => {
      const li = document.createElement("li");
      li.id = `${id}-${k}`;
      li.setAttribute("role", "option");
      li.textContent = o.textContent.trim();
      li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(k); });
      return li;
    }));
    if (!shown.length) {
      const li = document.createElement("li");
      li.className = "picker-none";
      li.textContent = "Nothing matches";
      list.append(li);
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    move(shown.length ? 0 : -1);
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const move = (k) => {
    active = k;
    [...list.children].forEach((li, n) => li.setAttribute("aria-selected", String(n === k)));
    if (k >= 0) {
      input.setAttribute("aria-activedescendant", `${id}-${k}`);
      list.children[k].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };
  const choose = (k) => {
    const option = shown[k];
    if (!option) return;
    select.value = option.value;
    input.value = option.textContent.trim();
    select.dispatchEvent(new Event("change", { bubbles: true }));
    close();
  };
  const filter = () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    show(options.filter((o) => {
      const text = o.textContent.toLowerCase();
      return words.every((w) => text.includes(w));
    }));
  };
  input.addEventListener("input", () => { select.value = ""; filter(); });
  input.addEventListener("focus", () => input.select());
  input.addEventListener("blur", () => {
    close();
    // Text that names no option leaves the field empty, so the server says what is missing.
    const match = options.find((o) => o.textContent.trim() === input.value.trim());
    select.value = match ? match.value : "";
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (list.hidden) filter(); else move(Math.min(active + 1, shown.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      move(Math.max(active - 1, 0));
    } else if (e.key === "Enter" && !list.hidden) {
      e.preventDefault();
      choose(active);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
}
function enhancePickers(root) {
  const found = [...root.querySelectorAll("select[data-picker]")];
  if (root.matches && root.matches("select[data-picker]")) found.push(root);
  found.forEach(enhancePicker);
}
enhancePickers(document);
document.addEventListener("htmx:load", (event) => enhancePickers(event.detail.elt));
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
