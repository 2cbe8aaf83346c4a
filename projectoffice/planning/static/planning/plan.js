// The plan editor: cells post their change, the server answers with the rescheduled
// workspace (grid + Gantt) and the focus returns to the same cell.

// One element of a page fetched again (the plan page with other options).
function planFragment(url, selector, options) {
  return fetch(url, Object.assign({credentials: "same-origin"}, options || {}))
    .then(function (r) { return r.text(); })
    .then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      return holder.querySelector(selector);
    });
}

// Puts a freshly drawn workspace in place of the page's, where the person was looking, and
// brings the figures above it (finish, plan version) up to date.
function planSwapWorkspace(fresh) {
  var split = document.querySelector(".plan-split"), chart = document.querySelector(".plan-chart");
  var top = split.scrollTop, left = chart.scrollLeft;
  document.getElementById("plan-workspace").replaceWith(fresh);
  document.querySelector(".plan-split").scrollTop = top;
  document.querySelector(".plan-chart").scrollLeft = left;
  var finish = document.getElementById("plan-finish");
  if (finish && fresh.dataset.finish) finish.textContent = fresh.dataset.finish;
  document.querySelectorAll(".plan-version").forEach(function (el) { el.value = fresh.dataset.version; });
}

(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var current = null; // uid of the current row
  var busy = false;

  function ws() { return document.getElementById("plan-workspace"); }

  // Edits are sent one at a time, in the order they were made: an edit made while the
  // previous one is saving waits in the queue and is sent with the plan version that one
  // answers with. A refused edit (its error shown at the cell) stops the queue: the edits
  // after it were made on a plan that did not change as the person expected.
  var queue = [];

  function post(url, data, focus) {
    queue.push({url: url, data: data, focus: focus});
    if (!busy) sendNext();
  }

  // The cell being typed in when the workspace is drawn again (not yet sent): its text and
  // the focus are carried over to the new grid.
  function typing() {
    var el = document.activeElement;
    if (!el || !el.matches || !el.matches("input.cell") || el.value === el.dataset.before) return null;
    return {uid: el.dataset.uid, field: el.name, value: el.value, before: el.dataset.before};
  }

  function sendNext() {
    var job = queue.shift();
    if (!job) { busy = false; pendingStart = {}; ws().removeAttribute("aria-busy"); more(); return; }
    busy = true;
    ws().setAttribute("aria-busy", "true");
    var body = new URLSearchParams(job.data);
    body.set("version", ws().dataset.version);
    body.set("zoom", ws().dataset.zoom);
    body.set("baseline", ws().dataset.baseline);
    body.set("rows", ws().dataset.rendered);
    var failed = false;
    fetch(job.url, {method: "POST", body: body, credentials: "same-origin",
                    headers: {"X-CSRFToken": csrf, "HX-Request": "true"}})
      .then(function (r) { failed = !r.ok; return r.text(); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#plan-workspace");
        if (!fresh) { failed = true; return; }
        var typed = typing();
        planSwapWorkspace(fresh);
        if (failed && queue.length) {
          var alert = fresh.querySelector(".plan-alert");
          if (alert) alert.textContent += " (" + queue.length + " later edit" + (queue.length > 1 ? "s were" : " was") + " not sent)";
          queue = [];
        }
        var bad = fresh.querySelector(".has-error input");
        if (bad) { bad.focus(); bad.select(); return; }
        if (typed) {
          var again = document.querySelector('.cell[data-uid="' + typed.uid + '"][name="' + typed.field + '"]');
          if (again) { again.focus(); again.dataset.before = typed.before; again.value = typed.value; return; }
        }
        if (queue.length) return; // the next answer puts the focus
        if (fresh.dataset.focusUid) {
          // A task added at the end: show it and start typing its name.
          restore({uid: fresh.dataset.focusUid, field: "name"});
          var added = document.querySelector('.cell[data-uid="' + fresh.dataset.focusUid + '"][name="name"]');
          if (added) added.scrollIntoView({block: "center"});
        }
        else if (job.focus) restore(job.focus);
      })
      .catch(function () { failed = true; queue = []; })
      .finally(sendNext);
  }
  var pendingStart = {}; // uid -> start asked for by keys not yet answered (Alt+→ pressed twice)

  // Large plans: the page draws the first rows; the next ones are fetched (grid rows and
  // chart bars together) when the view comes near the last row drawn.
  var ROW = 26, HEAD = 44, CHUNK = 150, fetching = false;
  var pendingMove = null; // a keyboard move past the last row drawn, made once rows arrive

  function more(force) {
    var w = ws(), split = document.querySelector(".plan-split");
    if (!w || !split || fetching || busy) return;
    var rendered = parseInt(w.dataset.rendered, 10), total = parseInt(w.dataset.total, 10);
    if (!(rendered < total)) return;
    var bottom = split.scrollTop + split.clientHeight;
    if (force !== true && bottom < HEAD + ROW * rendered - 4 * ROW) return;
    var wanted = Math.ceil((bottom - HEAD) / ROW) + CHUNK / 3;
    var count = Math.max(CHUNK, wanted - rendered);
    var url = new URL(w.dataset.rowsUrl, window.location.href);
    url.searchParams.set("start", rendered);
    url.searchParams.set("count", count);
    url.searchParams.set("zoom", w.dataset.zoom);
    if (w.dataset.baseline) url.searchParams.set("baseline", w.dataset.baseline);
    fetching = true;
    fetch(url, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || ws() !== w || String(data.version) !== w.dataset.version) return;
        w.querySelector(".plan-table tbody").insertAdjacentHTML("beforeend", data.grid);
        var chartSvg = w.querySelector(".plan-chart svg");
        chartSvg.insertAdjacentHTML("beforeend", data.svg);
        var band = chartSvg.querySelector(".g-headband");
        if (band) chartSvg.appendChild(band); // the time scale stays on top of new rows
        w.dataset.rendered = data.stop;
        if (pendingMove) {
          var el = pendingMove; pendingMove = null;
          if (document.body.contains(el)) move(el, 1);
        }
      })
      .finally(function () { fetching = false; window.requestAnimationFrame(more); });
  }

  document.addEventListener("scroll", function (e) {
    if (e.target.classList && e.target.classList.contains("plan-split")) more();
  }, true);
  window.addEventListener("resize", function () { more(); });
  more();

  function restore(focus) {
    var sel = '.cell[data-uid="' + focus.uid + '"][name="' + focus.field + '"]';
    var el = document.querySelector(sel);
    if (!el && focus.row) {
      var rows = document.querySelectorAll("tr.plan-row");
      var tr = rows[Math.min(focus.row, rows.length) - 1];
      if (tr) el = tr.querySelector('input.cell[name="' + focus.field + '"]') || tr.querySelector("input.cell");
    }
    if (el) { el.focus(); if (el.select) el.select(); }
  }

  function rowOf(el) { return el.closest("tr.plan-row"); }

  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches(".cell")) {
      var tr = rowOf(e.target);
      document.querySelectorAll("tr.plan-row.current").forEach(function (r) { r.classList.remove("current"); });
      if (tr) { tr.classList.add("current"); current = tr.dataset.uid; }
      e.target.dataset.before = e.target.value;
    }
  });

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches("select.cell")) {
      post(ws().dataset.cellUrl, {uid: el.dataset.uid, field: el.name, value: el.value}, null);
    } else if (el.matches("input.cell")) {
      var next = el.dataset.next ? JSON.parse(el.dataset.next) : {uid: el.dataset.uid, field: el.name};
      post(ws().dataset.cellUrl, {uid: el.dataset.uid, field: el.name, value: el.value}, next);
    } else if (el.id === "plan-zoom" || el.id === "plan-baseline") {
      var url = new URL(window.location.href);
      url.searchParams.set("zoom", document.getElementById("plan-zoom").value);
      var b = document.getElementById("plan-baseline").value;
      if (b) url.searchParams.set("baseline", b); else url.searchParams.delete("baseline");
      window.location.href = url.toString();
    }
  });

  function move(el, delta) {
    var tr = rowOf(el);
    var target = delta > 0 ? tr.nextElementSibling : tr.previousElementSibling;
    while (target && !target.querySelector('input.cell[name="' + el.name + '"]')) {
      target = delta > 0 ? target.nextElementSibling : target.previousElementSibling;
    }
    if (!target) {
      // The last row drawn: fetch the next rows of a large plan, then move on.
      var w = ws();
      if (delta > 0 && parseInt(w.dataset.rendered, 10) < parseInt(w.dataset.total, 10)) {
        pendingMove = el;
        more(true);
      }
      return;
    }
    var next = target.querySelector('input.cell[name="' + el.name + '"]');
    if (el.value !== el.dataset.before) {
      el.dataset.next = JSON.stringify({uid: next.dataset.uid, field: el.name});
      el.blur();
    } else { next.focus(); next.select(); }
  }

  // The chart's drags send the same edit as typing the cell (plan.js's last part).
  window.planPostCell = function (uid, field, value) {
    post(ws().dataset.cellUrl, {uid: uid, field: field, value: value}, null);
  };

  function op(name) {
    var focus = current ? {uid: current, field: "name"} : null;
    post(ws().dataset.opUrl, {op: name, uid: current || ""}, focus);
  }

  document.addEventListener("keydown", function (e) {
    var el = e.target;
    var inCell = el.matches && el.matches("input.cell");
    if (e.altKey && e.shiftKey && current) {
      var map = {ArrowRight: "indent", ArrowLeft: "outdent", ArrowUp: "up", ArrowDown: "down"};
      if (map[e.key]) { e.preventDefault(); op(map[e.key]); return; }
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z" && (!inCell || el.value === el.dataset.before)) {
      if (ws().dataset.editable === "1") { e.preventDefault(); op("undo"); }
      return;
    }
    var inRow = el.matches && el.matches(".cell") && rowOf(el);
    if (inRow && ws().dataset.editable === "1") {
      var uid = el.dataset.uid, bar = document.querySelector('.plan-chart g[data-uid="' + uid + '"]');
      // Alt+← / Alt+→: the bar one day earlier or later (as dragging it: a Start No
      // Earlier Than constraint).
      if (e.altKey && !e.shiftKey && !e.ctrlKey && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
        e.preventDefault();
        if (!bar || !bar.dataset.start || !bar.querySelector("rect.g-bar")) return;
        var from = pendingStart[uid] || bar.dataset.start;
        var to = new Date(Date.parse(from + "T00:00:00Z") + (e.key === "ArrowRight" ? 1 : -1) * 86400000)
          .toISOString().slice(0, 10);
        pendingStart[uid] = to;
        post(ws().dataset.cellUrl, {uid: uid, field: "start", value: to}, {uid: uid, field: el.name});
        return;
      }
      // Ctrl+F2: link the row above to this one, finish-to-start (as dragging from its bar
      // onto this one); Ctrl+Shift+F2: remove this task's links to its predecessors.
      if (e.key === "F2" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        var preds = bar ? (bar.dataset.preds || "").trim() : "";
        if (e.shiftKey) {
          post(ws().dataset.cellUrl, {uid: uid, field: "predecessors", value: ""}, {uid: uid, field: el.name});
          return;
        }
        var above = inRow.previousElementSibling;
        if (!above || !above.dataset.row) return;
        var listed = preds.split(",").map(function (p) { return p.trim().replace(/(FS|SS|FF|SF).*$/, ""); });
        if (listed.indexOf(above.dataset.row) >= 0) return;
        post(ws().dataset.cellUrl, {uid: uid, field: "predecessors",
                                    value: (preds ? preds + ", " : "") + above.dataset.row},
             {uid: uid, field: el.name});
        return;
      }
    }
    if (!inCell) return;
    if (e.key === "Enter" || (e.key === "ArrowDown" && !e.shiftKey)) { e.preventDefault(); move(el, 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(el, -1); }
    else if (e.key === "Escape") { el.value = el.dataset.before; el.select(); }
    else if (e.key === "Insert") { e.preventDefault(); op("insert"); }
    else if (e.key === "Delete" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); op("delete"); }
  });

  document.addEventListener("click", function (e) {
    var btn = e.target.closest("button[data-op]");
    if (btn) { op(btn.dataset.op); return; }
    var tog = e.target.closest("button[data-toggle]");
    if (tog) { post(ws().dataset.toggleUrl, {uid: tog.dataset.toggle}, null); return; }
  });

})();

// The chart opens at the status date (or today), zooms without reloading the page while
// keeping the same date in the middle of the view, and the grid's width is set by dragging
// the splitter (or with the arrow keys on it), remembered in this browser for the person.
(function () {
  "use strict";
  var DAY = 86400000;

  function chart() { return document.querySelector(".plan-chart"); }
  function svg() { return document.querySelector(".plan-chart svg.gantt"); }
  function scale(el) {
    return {origin: Date.parse(el.dataset.origin + "T00:00:00Z"), ppd: parseFloat(el.dataset.ppd)};
  }
  function xOf(el, iso) {
    var s = scale(el);
    return (Date.parse(iso + "T12:00:00Z") - s.origin) / DAY * s.ppd;
  }
  function centreDate(el) {
    var c = chart(), s = scale(el);
    var days = (c.scrollLeft + c.clientWidth / 2) / s.ppd;
    return new Date(s.origin + days * DAY).toISOString().slice(0, 10);
  }
  function centreOn(el, iso, part) {
    var c = chart();
    c.scrollLeft = Math.max(0, xOf(el, iso) - c.clientWidth * (part || 0.5));
  }

  function openAtFocus() {
    var el = svg();
    if (el && el.dataset.focus && chart().scrollLeft === 0) centreOn(el, el.dataset.focus, 1 / 3);
  }

  function zoomTo(level) {
    var el = svg(), w = document.getElementById("plan-workspace");
    if (!el || !w) return;
    var keep = centreDate(el);
    var url = new URL(window.location.href);
    url.searchParams.set("zoom", level);
    url.searchParams.set("rows", w.dataset.rendered);
    planFragment(url, ".plan-chart svg.gantt")
      .then(function (fresh) {
        if (!fresh) { window.location.href = url.toString(); return; }
        var split = document.querySelector(".plan-split"), top = split.scrollTop;
        el.replaceWith(fresh);
        w.dataset.zoom = level;
        split.scrollTop = top;
        centreOn(fresh, keep);
        url.searchParams.delete("rows");
        window.history.replaceState(null, "", url.toString());
        document.querySelectorAll('a[href*="/plan/export/"]').forEach(function (a) {
          var link = new URL(a.href);
          if (link.searchParams.has("zoom")) { link.searchParams.set("zoom", level); a.href = link.toString(); }
        });
      });
  }

  // Zoom: the select changes the chart in place (plan.js's page-reload handler is bypassed).
  document.addEventListener("change", function (e) {
    if (e.target.id !== "plan-zoom") return;
    e.stopImmediatePropagation();
    zoomTo(e.target.value);
  }, true);

  var KEY = "plan-grid-width:" + (document.querySelector('.topbar a[href$="/account/"]') || {}).textContent;
  function grid() { return document.getElementById("plan-grid"); }
  function setWidth(px, save) {
    var g = grid(), split = document.querySelector(".plan-split"), handle = document.querySelector(".plan-splitter");
    if (!g || !split) return;
    var full = g.querySelector("table").scrollWidth;
    var width = Math.round(Math.max(120, Math.min(px, full, split.clientWidth - 160)));
    g.style.width = width + "px";
    g.style.flexBasis = width + "px";
    g.classList.toggle("sized", width < full);
    if (handle) {
      handle.setAttribute("aria-valuemin", "120");
      handle.setAttribute("aria-valuemax", String(full));
      handle.setAttribute("aria-valuenow", String(width));
    }
    if (save) {
      try { localStorage.setItem(KEY, String(width)); } catch (err) { /* private mode */ }
      saveOnServer(width);
    }
  }
  // The width is kept for the person on the server too, so it follows them to any browser.
  var saveTimer = null;
  function saveOnServer(width) {
    var w = document.getElementById("plan-workspace");
    if (!w || !w.dataset.layoutUrl) return;
    w.dataset.gridWidth = String(width);
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(function () {
      var body = new URLSearchParams({grid_width: String(width)});
      fetch(w.dataset.layoutUrl, {method: "POST", body: body, credentials: "same-origin",
        headers: {"X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content}});
    }, 300);
  }
  function restoreWidth() {
    var handle = document.querySelector(".plan-splitter");
    if (!handle) return;
    handle.hidden = false;
    var saved = (document.getElementById("plan-workspace") || {dataset: {}}).dataset.gridWidth || null;
    if (!saved) { try { saved = localStorage.getItem(KEY); } catch (err) { saved = null; } }
    // Until the person sets it, the grid takes a little over half the width: the chart
    // gets room, the columns beyond are a drag away.
    var split = document.querySelector(".plan-split");
    setWidth(saved ? parseInt(saved, 10) : Math.min(grid().offsetWidth, split.clientWidth * 0.55), false);
  }
  document.addEventListener("pointerdown", function (e) {
    var handle = e.target.closest && e.target.closest(".plan-splitter");
    if (!handle) return;
    e.preventDefault();
    var startX = e.clientX, startW = grid().offsetWidth;
    handle.classList.add("dragging");
    handle.setPointerCapture(e.pointerId);
    function moveTo(ev) { setWidth(startW + ev.clientX - startX, false); }
    function stop(ev) {
      moveTo(ev);
      setWidth(grid().offsetWidth, true);
      handle.classList.remove("dragging");
      handle.removeEventListener("pointermove", moveTo);
      handle.removeEventListener("pointerup", stop);
    }
    handle.addEventListener("pointermove", moveTo);
    handle.addEventListener("pointerup", stop);
  });
  document.addEventListener("keydown", function (e) {
    if (!e.target.matches || !e.target.matches(".plan-splitter")) return;
    var step = e.shiftKey ? 120 : 24;
    if (e.key === "ArrowLeft") { e.preventDefault(); setWidth(grid().offsetWidth - step, true); }
    else if (e.key === "ArrowRight") { e.preventDefault(); setWidth(grid().offsetWidth + step, true); }
    else if (e.key === "Home") { e.preventDefault(); setWidth(0, true); }
    else if (e.key === "End") { e.preventDefault(); setWidth(100000, true); }
  });

  // The workspace is replaced after each edit: keep the grid's width and the date in view.
  new MutationObserver(function () {
    var handle = document.querySelector(".plan-splitter");
    if (handle && handle.hidden) restoreWidth();
  }).observe(document.querySelector("main") || document.body, {childList: true, subtree: true});

  // The time scale stays at the top of the chart as the rows scroll under it (the grid's
  // header is sticky by CSS; the chart's is part of the SVG, so it is moved).
  function stickHead() {
    var split = document.querySelector(".plan-split"), band = document.querySelector(".plan-chart .g-headband");
    if (split && band) band.setAttribute("transform", "translate(0," + split.scrollTop + ")");
  }
  document.addEventListener("scroll", function (e) {
    if (e.target.classList && e.target.classList.contains("plan-split")) stickHead();
  }, true);
  new MutationObserver(stickHead).observe(document.querySelector("main") || document.body, {childList: true, subtree: true});

  restoreWidth();
  openAtFocus();
  stickHead();
})();

// Task information: all of a task's fields in a dialog (double-click a row, Shift+F2 in a
// cell, or the toolbar button), saved as one edit; errors stay in the dialog at the field.
(function () {
  "use strict";
  var dialog = null;

  function workspace() { return document.getElementById("plan-workspace"); }
  function ensureDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "task-info-dialog";
    dialog.setAttribute("aria-labelledby", "task-info-title");
    document.body.appendChild(dialog);
    dialog.addEventListener("click", function (e) {
      if (e.target.closest("[data-close]")) { e.preventDefault(); dialog.close(); }
    });
    dialog.addEventListener("submit", function (e) {
      var form = e.target.closest("form[data-task-info]");
      if (!form) return;
      e.preventDefault();
      fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                          headers: {"HX-Request": "true"}})
        .then(function (r) {
          if (r.status === 204) { dialog.close(); refresh(); return null; }
          return r.text();
        })
        .then(function (html) { if (html !== null) show(html); });
    });
    return dialog;
  }
  function show(html) {
    var d = ensureDialog();
    d.innerHTML = html;
    if (window.htmx) window.htmx.process(d);
    if (!d.open) d.showModal();
    var bad = d.querySelector(".has-error input, .has-error select, .has-error textarea");
    (bad || d.querySelector("input:not([type=hidden]), select, textarea")).focus();
  }
  function open(uid) {
    var w = workspace();
    if (!uid || !w) return;
    var url = w.dataset.cellUrl.replace(/cell\/$/, "tasks/" + uid + "/");
    fetch(url, {credentials: "same-origin", headers: {"HX-Request": "true"}})
      .then(function (r) { return r.text(); })
      .then(show);
  }
  function refresh() {
    var w = workspace();
    var url = new URL(window.location.href);
    url.searchParams.set("rows", w.dataset.rendered);
    planFragment(url, "#plan-workspace").then(function (fresh) {
      if (fresh) planSwapWorkspace(fresh); else window.location.reload();
    });
  }
  function currentUid() {
    var row = document.querySelector("tr.plan-row.current");
    return row ? row.dataset.uid : null;
  }
  document.addEventListener("dblclick", function (e) {
    var row = e.target.closest && e.target.closest("tr.plan-row");
    if (row && !e.target.matches("input, select")) { e.preventDefault(); open(row.dataset.uid); }
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("#plan-info")) open(currentUid());
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "F2" && e.shiftKey && !e.ctrlKey && !e.metaKey && e.target.closest &&
        e.target.closest(".plan-table")) {
      e.preventDefault();
      var row = e.target.closest("tr.plan-row");
      open(row ? row.dataset.uid : currentUid());
    }
  });
})();

// On the chart: drag a bar sideways to move the task (its start becomes a Start No Earlier
// Than constraint, as in MS Project), drag its right end to change its duration, or drag
// from one bar up or down onto another to link them (finish-to-start).  Each is the same
// edit as typing in the row's Start, Duration or Predecessors cell — the keyboard's way to
// do it — so it is validated alike and undone in one step.
(function () {
  "use strict";
  var drag = null, GRIP = 6;

  function editable() {
    var w = document.getElementById("plan-workspace");
    return w && w.dataset.editable === "1";
  }
  function shiftDate(iso, days) {
    var d = new Date(Date.parse(iso + "T00:00:00Z") + days * 86400000);
    return d.toISOString().slice(0, 10);
  }
  function onGrip(bar, clientX) {
    var rect = bar.querySelector("rect.g-bar").getBoundingClientRect();
    return clientX >= rect.right - GRIP && clientX <= rect.right + 2;
  }

  // The pointer shows what a drag from here does: resize at a bar's end, move elsewhere.
  document.addEventListener("pointermove", function (e) {
    if (drag) return;
    var bar = e.target.closest && e.target.closest(".plan-chart g[data-uid]");
    if (bar && editable()) bar.style.cursor = onGrip(bar, e.clientX) ? "ew-resize" : "";
  });
  document.addEventListener("pointerdown", function (e) {
    var bar = e.target.closest && e.target.closest(".plan-chart g[data-uid]");
    if (!bar || !editable() || !bar.querySelector("rect.g-bar")) return;
    var svg = bar.ownerSVGElement, rect = bar.querySelector("rect.g-bar");
    drag = {bar: bar, rect: rect, row: bar.dataset.row, x: e.clientX, y: e.clientY,
            mode: onGrip(bar, e.clientX) ? "resize" : null, width: parseFloat(rect.getAttribute("width")),
            ppd: parseFloat(svg.dataset.ppd), svg: svg, line: null};
    bar.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  document.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.mode && (Math.abs(dx) > 4 || Math.abs(dy) > 4)) {
      drag.mode = Math.abs(dy) > Math.abs(dx) ? "link" : "move";
    }
    if (drag.mode === "resize") {
      drag.rect.setAttribute("width", Math.max(2, drag.width + dx));
      drag.bar.classList.add("g-resizing");
    } else if (drag.mode === "move") {
      drag.bar.setAttribute("transform", "translate(" + dx + ",0)");
      drag.bar.classList.add("g-dragging");
    } else if (drag.mode === "link") {
      var rect = drag.rect, box = drag.svg.getBoundingClientRect();
      if (!drag.line) {
        drag.line = document.createElementNS("http://www.w3.org/2000/svg", "line");
        drag.line.setAttribute("class", "g-drag-link");
        drag.line.setAttribute("x1", parseFloat(rect.getAttribute("x")) + parseFloat(rect.getAttribute("width")));
        drag.line.setAttribute("y1", parseFloat(rect.getAttribute("y")) + 6);
        drag.svg.appendChild(drag.line);
      }
      drag.line.setAttribute("x2", e.clientX - box.left);
      drag.line.setAttribute("y2", e.clientY - box.top);
    }
  });
  document.addEventListener("pointerup", function (e) {
    if (!drag) return;
    var d = drag;
    drag = null;
    d.bar.removeAttribute("transform");
    d.bar.classList.remove("g-dragging", "g-resizing");
    if (d.line) d.line.remove();
    var days = Math.round((e.clientX - d.x) / d.ppd);
    if (d.mode === "resize") {
      d.rect.setAttribute("width", d.width);
      if (days) window.planPostCell(d.bar.dataset.uid, "finish_day", shiftDate(d.bar.dataset.finish, days));
    } else if (d.mode === "move") {
      if (days) window.planPostCell(d.bar.dataset.uid, "start", shiftDate(d.bar.dataset.start, days));
    } else if (d.mode === "link") {
      d.bar.style.pointerEvents = "none";
      var under = document.elementFromPoint(e.clientX, e.clientY);
      d.bar.style.pointerEvents = "";
      var target = under && under.closest && under.closest(".plan-chart g[data-uid]");
      if (target && target.dataset.row !== d.row) {
        var text = (target.dataset.preds || "").trim();
        var listed = text.split(",").map(function (s) { return s.trim().replace(/(FS|SS|FF|SF).*$/, ""); });
        if (listed.indexOf(d.row) < 0) window.planPostCell(target.dataset.uid, "predecessors", (text ? text + ", " : "") + d.row);
      }
    }
  });
})();

// The column chooser: ↑ and ↓ move a column one place; the form sends the ticked columns in
// the order shown, which is the order the grid shows them in (kept for the person).
document.addEventListener("click", function (e) {
  var btn = e.target.closest && e.target.closest("button[data-column-move]");
  if (!btn) return;
  e.preventDefault();
  var item = btn.closest("li.column-choice"), up = btn.dataset.columnMove === "-1";
  var other = up ? item.previousElementSibling : item.nextElementSibling;
  if (!other) return;
  if (up) item.parentNode.insertBefore(item, other); else item.parentNode.insertBefore(other, item);
  item.parentNode.querySelectorAll(".moved").forEach(function (el) { el.classList.remove("moved"); });
  item.classList.add("moved");
  btn.focus({preventScroll: true});
  // Keep the moved column in view inside the list (not the page: it would scroll sideways).
  var list = item.parentNode;
  if (item.offsetTop < list.scrollTop) list.scrollTop = item.offsetTop;
  else if (item.offsetTop + item.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = item.offsetTop + item.offsetHeight - list.clientHeight;
  }
});
