// The article view: hovering a highlight shows its coded fields; the side list finds its highlights.
"use strict";
(function () {
  const text = document.getElementById("article-text");
  const source = document.getElementById("record-data");
  if (!text || !source) return;
  const record = JSON.parse(source.textContent);
  const items = new Map();
  const kinds = { actors: "actor", events: "event", quotes: "quote", commitments: "commitment",
                  documents: "document", places: "place" };
  for (const [list, kind] of Object.entries(kinds)) {
    for (const x of record[list] || []) items.set(x.id, { kind: kind, x: x });
  }
  const name = (id) => { const a = items.get(id); return a ? a.x.name + (a.x.country ? " (" + a.x.country + ")" : "") : id; };
  const names = (ids) => (ids || []).map(name);
  const span = (s) => s ? s.start + "–" + s.end : null;

  function describe(kind, x) {
    switch (kind) {
      case "event":
        return { kind: kind, title: x.event + (x.mode ? "/" + x.mode : "") + (x.planned ? " (planned)" : "") + (x.negated ? " (negated)" : ""),
          rows: [["actor", names(x.actor)], ["recipient", names(x.recipient)], ["date", x.date || (x.date_text ? "? " + x.date_text : "unknown")],
                 ["date text", x.date_text], ["place", x.location ? x.location.name : null], ["context", x.context],
                 ["CAMEO", x.cameo], ["trigger", x.event_text], ["offsets", span(x.trigger)], ["id", x.id]] };
      case "actor":
        return { kind: kind, title: x.name,
          rows: [["kind", x.kind], ["country", x.country], ["sector", x.sector], ["office", x.office],
                 ["Wikidata", x.wikidata], ["mentions", (x.mentions || []).length], ["id", x.id]] };
      case "quote":
        return { kind: kind, title: "quote (" + x.kind + ")",
          rows: [["speaker", x.speaker ? name(x.speaker) : "unattributed"], ["cue", x.cue], ["offsets", span(x.span)], ["id", x.id]] };
      case "commitment":
        return { kind: kind, title: "commitment: " + x.kind + (x.planned ? " (planned)" : ""),
          rows: [["amount", x.amount !== null && x.amount !== undefined ? x.amount.toLocaleString("en") + (x.currency ? " " + x.currency : "") : null],
                 ["quantity", x.quantity], ["item", x.item], ["giver", names(x.giver)], ["recipient", names(x.recipient)],
                 ["purpose", x.purpose], ["status", x.status], ["offsets", span(x.span)], ["id", x.id]] };
      case "document":
        return { kind: kind, title: x.name,
          rows: [["kind", x.kind], ["status", x.status], ["status cue", x.status_text], ["parties", names(x.parties)],
                 ["also", x.aliases], ["id", x.id]] };
      case "place":
        return { kind: kind, title: x.name, rows: [["country", x.country], ["lat, lon", x.lat !== null && x.lat !== undefined ? x.lat + ", " + x.lon : null], ["id", x.id]] };
    }
    return { kind: kind, title: kind, rows: [] };
  }

  function groupsFor(mark) {
    const out = [];
    for (let m = mark; m && m !== text; m = m.parentElement) {
      if (!m.dataset || !m.dataset.ids || text.classList.contains("hide-" + m.dataset.kind)) continue;
      for (const id of m.dataset.ids.split(" ")) {
        const item = items.get(id);
        if (item) out.push(describe(item.kind, item.x));
      }
    }
    return out.slice(0, 6);
  }

  function onOver(ev) {
    const mark = ev.target.closest("mark.hl");
    if (!mark || !text.contains(mark)) return;
    const groups = groupsFor(mark);
    if (!groups.length) return;
    const r = mark.getBoundingClientRect();
    const x = ev.type === "focusin" ? r.left + window.scrollX : ev.pageX;
    const y = ev.type === "focusin" ? r.bottom + window.scrollY : ev.pageY;
    parley.show(groups, x, y);
  }
  text.addEventListener("mouseover", onOver);
  text.addEventListener("focusin", onOver);
  text.addEventListener("mouseleave", parley.hide);
  text.addEventListener("focusout", parley.hide);

  function marksOf(id) {
    return Array.from(text.querySelectorAll('mark[data-ids~="' + CSS.escape(id) + '"]'));
  }

  function focus(id) {
    for (const m of text.querySelectorAll("mark.flash")) m.classList.remove("flash");
    for (const li of document.querySelectorAll(".record-list .selected")) li.classList.remove("selected");
    const found = marksOf(id);
    found.forEach((m) => m.classList.add("flash"));
    const li = document.querySelector('.record-list [data-ref="' + CSS.escape(id) + '"]');
    if (li) li.classList.add("selected");
    if (found.length) found[0].scrollIntoView({ block: "center" });
    return found.length;
  }

  const list = document.getElementById("record-list");
  if (list) {
    list.addEventListener("click", (ev) => {
      const li = ev.target.closest("[data-ref]");
      if (li) focus(li.dataset.ref);
    });
    list.addEventListener("keydown", (ev) => {
      const li = ev.target.closest("[data-ref]");
      if (li && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); focus(li.dataset.ref); }
    });
  }

  for (const box of document.querySelectorAll("#kinds input[data-kind]")) {
    box.addEventListener("change", () => text.classList.toggle("hide-" + box.dataset.kind, !box.checked));
  }

  const wanted = new URLSearchParams(window.location.search).get("focus");
  if (wanted) focus(wanted);
  window.parleyArticle = { focus: focus, marksOf: marksOf };
})();
