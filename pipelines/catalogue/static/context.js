"use strict";
// Selecting a highlight (click, Tab then Enter, or the address #<fact_id>) marks every segment of that
// fact, shows its row in the panel, lists the other facts over the same words (each selectable) and
// puts the fact's id in the address. Clicking a segment again selects the next fact covering it.
// The selected fact and its first segment's box are written on <body> as data-selected and
// data-selected-box: anyone (and the browser test) can tell from the DOM what is shown where.
(function () {
  var text = document.getElementById("text"), panel = document.getElementById("panel");
  var cards = Array.prototype.slice.call(document.querySelectorAll("#facts .fact"));
  var byId = {}, segments = cards.map(function () { return []; }), current = -1, justFocused = null;
  cards.forEach(function (card, i) { byId[card.getAttribute("data-fact-id")] = i; });
  function factsOf(mark) { return mark.getAttribute("data-facts").split(" ").map(Number); }
  text.querySelectorAll("mark.hl").forEach(function (mark) {
    factsOf(mark).forEach(function (i) { segments[i].push(mark); });
  });

  function copyOf(i, selected) {
    var card = cards[i].cloneNode(true);
    if (selected) {
      card.classList.add("selected");
    } else {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Select";
      button.addEventListener("click", function () { choose(i, null, true); });
      card.querySelector(".fact-head").appendChild(button);
    }
    return card;
  }

  function choose(i, mark, fromUser) {
    if (i < 0 || i >= cards.length) { return; }
    text.querySelectorAll("mark.sel").forEach(function (m) { m.classList.remove("sel"); });
    segments[i].forEach(function (m) { m.classList.add("sel"); });
    current = i;
    var here = mark || segments[i][0], others = here ? factsOf(here).filter(function (j) { return j !== i; }) : [];
    panel.textContent = "";
    var head = document.createElement("p");
    head.className = "muted";
    head.textContent = "Selected fact" + (others.length ? " (" + others.length + " more over these words below)" : "");
    panel.appendChild(head);
    panel.appendChild(copyOf(i, true));
    others.forEach(function (j) { panel.appendChild(copyOf(j, false)); });
    if (fromUser) {
      try { history.replaceState(null, "", "#" + encodeURI(cards[i].getAttribute("data-fact-id"))); } catch (e) { /* file:// may refuse */ }
    }
    var first = segments[i][0];
    if (first && !fromUser) { first.scrollIntoView({ block: "nearest" }); }
    var box = first ? first.getClientRects()[0] : null;
    document.body.setAttribute("data-selected", cards[i].getAttribute("data-fact-id"));
    document.body.setAttribute("data-selected-box", box ?
      [box.left, box.top, box.width, box.height].map(Math.round).join(",") : "");
  }

  function cycle(mark) {
    var list = factsOf(mark), k = list.indexOf(current);
    choose(list[(k + 1) % list.length], mark, true);
  }

  text.addEventListener("focusin", function (event) {
    var mark = event.target.closest("mark.hl");
    if (mark && factsOf(mark).indexOf(current) < 0) { choose(factsOf(mark)[0], mark, true); justFocused = mark; }
  });
  text.addEventListener("click", function (event) {
    var mark = event.target.closest("mark.hl");
    if (!mark) { return; }
    if (justFocused === mark) { justFocused = null; return; }
    cycle(mark);
  });
  text.addEventListener("keydown", function (event) {
    var mark = event.target.closest("mark.hl");
    if (mark && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); cycle(mark); }
  });
  function fromAddress() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (Object.prototype.hasOwnProperty.call(byId, id)) { choose(byId[id], null, false); }
  }
  window.addEventListener("hashchange", fromAddress);
  // After the load event: the browser's own scroll to the fragment's anchor has happened by then.
  if (document.readyState === "complete") { fromAddress(); } else { window.addEventListener("load", fromAddress); }
})();
