"use strict";
// The "Explore the rows" section: filters the rows embedded in #explore-data (every table of the latest
// release) by words, document, country and year, shows one page of rows at a time, and keeps the
// view in the address (#table=...&q=...&document=...&country=...&year=...&page=...) so that opening
// that address restores it. It records on #explore, for anyone (and the tests and the benchmark) to
// read from the DOM: data-opened-ms (performance.now() when the first rows were shown), data-filter-ms
// (how long the last query took to answer), data-table, data-matched and data-shown.
(function () {
  var root = document.getElementById("explore"), holder = document.getElementById("explore-data");
  if (!root || !holder) { return; }
  var data = JSON.parse(holder.textContent), form = document.getElementById("explore-form");
  var KEYS = ["table", "q", "document", "country", "year", "page"], byName = {};
  data.tables.forEach(function (t) { byName[t.name] = t; });
  var state = { table: data.tables[0].name, q: "", document: "", country: "", year: "", page: 1 };

  function yearsOf(t) {  // the first and last year each row states, computed once per table
    if (t.lo) { return; }
    var n = t.rows.length, lo = new Int16Array(n), hi = new Int16Array(n);
    for (var r = 0; r < n; r++) {
      var row = t.rows[r], a = 32767, b = -1;
      for (var k = 0; k < t.years.length; k++) {
        var y = parseInt(row[t.years[k]].slice(0, 4), 10);
        if (y === y) { if (y < a) { a = y; } if (y > b) { b = y; } }
      }
      lo[r] = a; hi[r] = b;
    }
    t.lo = lo; t.hi = hi;
  }
  function textOf(t) {
    // Every row's cells in lower case, in one string (rows end with "\n"), with where each row starts:
    // built the first time words are searched; a word is then found by the browser's own string search
    // over the whole table rather than row by row.
    if (t.text === undefined) {
      var n = t.rows.length, parts = new Array(n), starts = new Int32Array(n + 1), pos = 0, joined;
      for (var r = 0; r < n; r++) { parts[r] = t.rows[r].join("\u0001"); starts[r] = pos; pos += parts[r].length + 1; }
      starts[n] = pos;
      joined = parts.join("\n") + "\n";
      t.text = joined.toLowerCase();
      if (t.text.length !== joined.length) {  // a character whose lower case is longer: lower each row alone
        pos = 0;
        for (r = 0; r < n; r++) { parts[r] = parts[r].toLowerCase(); starts[r] = pos; pos += parts[r].length + 1; }
        starts[n] = pos;
        t.text = parts.join("\n") + "\n";
      }
      t.starts = starts;
    }
    return t.text;
  }
  function matches(t, st) {  // the indices of the rows of t that the query keeps, in order
    var words = st.q.toLowerCase().split(/\s+/).filter(Boolean), n = t.rows.length, out = [];
    var year = st.year ? parseInt(st.year, 10) : null;
    if (year !== null) { yearsOf(t); }
    if ((st.document && t.document < 0) || (st.country && !t.countries.length)) { return out; }
    function kept(r) {
      var row = t.rows[r];
      if (st.document && row[t.document] !== st.document) { return false; }
      if (st.country) {
        var found = false;
        for (var c = 0; c < t.countries.length; c++) { if (row[t.countries[c]] === st.country) { found = true; break; } }
        if (!found) { return false; }
      }
      return year === null || (t.lo[r] <= year && year <= t.hi[r]);
    }
    if (!words.length) {
      for (var r = 0; r < n; r++) { if (kept(r)) { out.push(r); } }
      return out;
    }
    // Scan for the longest word; check the others, and the filters, in each row it is found in.
    words.sort(function (a, b) { return b.length - a.length; });
    var text = textOf(t), starts = t.starts, row = 0, at = text.indexOf(words[0]);
    while (at >= 0) {
      while (starts[row + 1] <= at) { row++; }
      var end = starts[row + 1] - 1, ok = kept(row);
      for (var w = 1; ok && w < words.length; w++) {
        var p = text.indexOf(words[w], starts[row]);
        ok = p >= 0 && p + words[w].length <= end;
      }
      if (ok) { out.push(row); }
      at = text.indexOf(words[0], starts[row + 1]);
    }
    return out;
  }

  function fromAddress() {
    var hash = location.hash.slice(1);
    if (!/(^|&)(table|q|document|country|year|page)=/.test(hash)) { return false; }
    var params = new URLSearchParams(hash);
    KEYS.forEach(function (key) { state[key] = params.get(key) || ""; });
    if (!byName[state.table]) { state.table = data.tables[0].name; }
    state.page = Math.max(1, parseInt(state.page, 10) || 1);
    return true;
  }
  function toAddress() {
    var params = new URLSearchParams();
    KEYS.forEach(function (key) { if (state[key] && !(key === "page" && state.page === 1)) { params.set(key, state[key]); } });
    var hash = "#" + params.toString();
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
    }
  }
  function toForm() {
    ["table", "q", "document", "country", "year"].forEach(function (key) {
      var field = form.elements[key];
      if (field.tagName === "SELECT" && state[key] && !Array.prototype.some.call(field.options, function (o) { return o.value === state[key]; })) {
        var option = document.createElement("option");
        option.value = option.textContent = state[key];
        field.appendChild(option);
      }
      field.value = state[key];
    });
  }

  function cell(t, row, c) {
    var td = document.createElement("td"), value = row[c], shown = value.length > 80 ? value.slice(0, 79) + "…" : value;
    if (shown !== value) { td.title = value; }
    var doc = t.document >= 0 ? row[t.document] : "";
    if (doc && (c === t.fact || (t.fact < 0 && c === t.document))) {
      var a = document.createElement("a");
      a.href = data.context + encodeURIComponent(doc) + ".html" + (c === t.fact ? "#" + encodeURI(value) : "");
      a.textContent = shown;
      td.appendChild(a);
    } else {
      td.textContent = shown;
    }
    return td;
  }
  function show(t, found) {
    var pages = Math.max(1, Math.ceil(found.length / data.pageRows));
    if (state.page > pages) { state.page = pages; }
    var first = (state.page - 1) * data.pageRows, shown = found.slice(first, first + data.pageRows);
    var table = document.getElementById("explore-rows"), head = document.createElement("tr"), body = document.createElement("tbody");
    t.columns.forEach(function (name) { var th = document.createElement("th"); th.textContent = name; head.appendChild(th); });
    shown.forEach(function (r) {
      var tr = document.createElement("tr"), row = t.rows[r];
      tr.setAttribute("data-row", r);
      for (var c = 0; c < t.columns.length; c++) { tr.appendChild(cell(t, row, c)); }
      body.appendChild(tr);
    });
    table.tHead.replaceChildren(head);
    table.replaceChild(body, table.tBodies[0]);
    document.getElementById("explore-count").textContent = found.length ?
      "Rows " + (first + 1).toLocaleString("en") + "–" + (first + shown.length).toLocaleString("en") + " of " +
      found.length.toLocaleString("en") + " matching in " + t.name + " (" + t.rows.length.toLocaleString("en") +
      " rows in all); page " + state.page + " of " + pages + "." :
      "No row of " + t.name + " matches (" + t.rows.length.toLocaleString("en") + " rows in all).";
    var buttons = document.querySelectorAll("#explore-pages button");
    buttons[0].disabled = state.page <= 1;
    buttons[1].disabled = state.page >= pages;
    return shown.length;
  }
  function showTables(counts) {
    var holder = document.getElementById("explore-tables");
    holder.textContent = "Matching rows: ";
    data.tables.forEach(function (t) {
      var a = document.createElement("a"), params = new URLSearchParams();
      KEYS.forEach(function (key) { if (state[key] && key !== "page") { params.set(key, key === "table" ? t.name : state[key]); } });
      a.href = "#" + params.toString();
      a.textContent = t.name + " " + counts[t.name].toLocaleString("en");
      a.setAttribute("data-table", t.name);
      a.setAttribute("data-count", counts[t.name]);
      if (t.name === state.table) { a.setAttribute("aria-current", "true"); }
      holder.appendChild(a);
    });
  }

  function apply(fromUser) {
    var started = performance.now(), counts = {}, found = [];
    var filtered = state.q || state.document || state.country || state.year;
    data.tables.forEach(function (t) {
      var kept = t.name === state.table ? (found = matches(t, state)).length : (filtered ? matches(t, state).length : t.rows.length);
      counts[t.name] = kept;
    });
    var shown = show(byName[state.table], found);
    showTables(counts);
    if (fromUser) { toAddress(); }
    root.setAttribute("data-table", state.table);
    root.setAttribute("data-matched", found.length);
    root.setAttribute("data-shown", shown);
    root.setAttribute("data-filter-ms", (performance.now() - started).toFixed(1));
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", function () {
    ["table", "q", "document", "country", "year"].forEach(function (key) { state[key] = form.elements[key].value; });
    state.page = 1;
    apply(true);
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { state.q = state.document = state.country = state.year = ""; state.page = 1; toForm(); apply(true); }, 0);
  });
  document.getElementById("explore-pages").addEventListener("click", function (event) {
    var step = parseInt(event.target.getAttribute("data-page"), 10);
    if (step) { state.page += step; apply(true); }
  });
  window.addEventListener("hashchange", function () {
    if (fromAddress()) { toForm(); apply(false); }
  });
  var restored = fromAddress();
  toForm();
  apply(false);
  root.setAttribute("data-opened-ms", performance.now().toFixed(1));
  if (restored) { root.scrollIntoView(); }
})();
