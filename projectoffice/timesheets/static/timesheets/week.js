/* The week grid: live row, day and week totals while typing; spreadsheet keys (arrows and
   Enter move between cells); an immediate warning on a day of approved absence; adding a
   task found by the search without leaving the page. The server checks everything again. */
(function () {
  "use strict";

  function number(value) {
    var n = parseFloat(String(value).replace(",", "."));
    return isFinite(n) ? n : 0;
  }

  function show(n) {
    return (Math.round(n * 100) / 100).toString();
  }

  function setup(form) {
    var body = form.querySelector("#ts-rows");
    var live = document.getElementById("ts-live");

    function totals() {
      var days = [0, 0, 0, 0, 0, 0, 0];
      body.querySelectorAll("tr[data-row]").forEach(function (tr) {
        var sum = 0;
        tr.querySelectorAll("input.hours").forEach(function (input, d) {
          var h = number(input.value);
          sum += h;
          days[d] += h;
        });
        var cell = tr.querySelector("[data-row-total]");
        if (cell) cell.textContent = show(sum);
      });
      var week = 0;
      days.forEach(function (h, d) {
        week += h;
        var cell = form.querySelector('[data-day-total="' + d + '"]');
        if (cell) {
          cell.textContent = show(h);
          cell.classList.toggle("over", h > 24);
        }
      });
      var total = form.querySelector("[data-week-total]");
      if (total) total.textContent = show(week);
    }

    function refuse(input) {
      var cell = input.closest("td");
      var message = cell && cell.getAttribute("data-refuse");
      if (!message) return;
      var bad = number(input.value) > 0;
      input.classList.toggle("refused", bad);
      if (bad) live.textContent = message + ": hours cannot be booked on it.";
      else if (!form.querySelector("input.refused")) live.textContent = "";
    }

    function grid() {
      return Array.prototype.map.call(body.querySelectorAll("tr[data-row]"), function (tr) {
        return Array.prototype.slice.call(tr.querySelectorAll("input.hours"));
      });
    }

    function move(input, dr, dc) {
      var rows = grid();
      for (var r = 0; r < rows.length; r++) {
        var c = rows[r].indexOf(input);
        if (c < 0) continue;
        var nr = r + dr, nc = c + dc;
        while (nr >= 0 && nr < rows.length && nc >= 0 && nc < 7) {
          var next = rows[nr][nc];
          if (next && !next.disabled) {
            next.focus();
            next.select();
            return true;
          }
          nr += dr;
          nc += dc;
          if (!dr && !dc) break;
        }
        return false;
      }
      return false;
    }

    form.addEventListener("input", function (event) {
      if (event.target.classList.contains("hours")) {
        totals();
        refuse(event.target);
      }
    });
    form.addEventListener("focusin", function (event) {
      if (event.target.classList.contains("hours")) event.target.select();
    });
    form.addEventListener("keydown", function (event) {
      var input = event.target;
      if (!input.classList || !input.classList.contains("hours")) return;
      var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
      var atEnd = input.selectionStart === input.value.length;
      var all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
      var moved = false;
      if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) {
        moved = move(input, 1, 0);
        if (event.key === "Enter") event.preventDefault();
      } else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) {
        moved = move(input, -1, 0);
        if (event.key === "Enter") event.preventDefault();
      } else if (event.key === "ArrowRight" && (atEnd || all)) {
        moved = move(input, 0, 1);
      } else if (event.key === "ArrowLeft" && (atStart || all)) {
        moved = move(input, 0, -1);
      }
      if (moved) event.preventDefault();
    });

    // Adding a task found by the search: a new row at the end of the task rows.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("[data-add-task]");
      if (!link) return;
      event.preventDefault();
      var key = link.getAttribute("data-key");
      var existing = body.querySelector('tr[data-key="' + key + '"]');
      if (existing) {
        var first = existing.querySelector("input.hours:not([disabled])");
        if (first) first.focus();
        return;
      }
      var template = body.querySelector("tr[data-row]");
      var n = body.querySelectorAll("tr[data-row]").length;
      var planned = (link.getAttribute("data-planned") || "").split(",");
      var tr = document.createElement("tr");
      tr.setAttribute("data-row", n);
      tr.setAttribute("data-key", key);
      tr.className = "ts-added" + (/o$/.test(key) ? " overtime" : "");
      var th = document.createElement("th");
      th.scope = "row";
      th.className = "ts-task";
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "r-" + n;
      hidden.value = key;
      th.appendChild(hidden);
      [["ts-proj", link.getAttribute("data-project")], ["ref", " " + link.getAttribute("data-wbs")],
       ["ts-name", " " + link.getAttribute("data-label")], ["ts-dates", link.getAttribute("data-dates")]]
        .forEach(function (part) {
          var span = document.createElement("span");
          span.className = part[0];
          span.textContent = part[1];
          th.appendChild(span);
        });
      tr.appendChild(th);
      var heads = form.querySelectorAll("thead th.ts-day");
      var label = link.getAttribute("data-project") + " " + link.getAttribute("data-label");
      for (var d = 0; d < 7; d++) {
        var td = document.createElement("td");
        td.className = "ts-cell" + (heads[d] && heads[d].classList.contains("away") ? " away" : "");
        var sample = template && template.querySelectorAll("td.ts-cell")[d];
        if (sample && sample.getAttribute("data-refuse")) {
          td.setAttribute("data-refuse", sample.getAttribute("data-refuse"));
        }
        var input = document.createElement("input");
        input.className = "hours";
        input.name = "h-" + n + "-" + d;
        input.inputMode = "decimal";
        input.autocomplete = "off";
        input.placeholder = "·";
        input.setAttribute("aria-label", label + " " + ["Monday", "Tuesday", "Wednesday",
          "Thursday", "Friday", "Saturday", "Sunday"][d]);
        td.appendChild(input);
        if (number(planned[d]) > 0) {
          var plan = document.createElement("span");
          plan.className = "ts-plan";
          plan.textContent = planned[d];
          td.appendChild(plan);
        }
        tr.appendChild(td);
      }
      var total = document.createElement("td");
      total.className = "num ts-total";
      total.setAttribute("data-row-total", "");
      total.textContent = "0";
      tr.appendChild(total);
      var noteCell = document.createElement("td");
      noteCell.className = "ts-note";
      var note = document.createElement("input");
      note.name = "note-" + n;
      note.maxLength = 500;
      note.placeholder = "what for?";
      note.setAttribute("aria-label", "Note on " + label);
      noteCell.appendChild(note);
      tr.appendChild(noteCell);
      // Before the time-code rows, after the last task row.
      var codes = body.querySelector('tr[data-key^="c"]');
      body.insertBefore(tr, codes);
      renumber();
      tr.querySelector("input.hours").focus();
      live.textContent = "";
    });

    // Rows keep their form numbers in page order, so errors come back to the right row.
    function renumber() {
      body.querySelectorAll("tr[data-row]").forEach(function (tr, n) {
        tr.setAttribute("data-row", n);
        tr.querySelectorAll("[name]").forEach(function (el) {
          el.name = el.name.replace(/^(r|locked|p|note)-\d+$/, "$1-" + n)
            .replace(/^h-\d+-(\d)$/, "h-" + n + "-$1");
        });
      });
    }

    totals();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("ts-week");
    if (form) setup(form);
  });
})();
