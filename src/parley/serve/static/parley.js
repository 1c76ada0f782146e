// parley: what every page shares. A tooltip that shows rows of [label, value]; text only, never HTML.
"use strict";
window.parley = (function () {
  const tip = document.getElementById("tooltip");

  function show(groups, x, y) {
    tip.replaceChildren();
    for (const g of groups) {
      const box = document.createElement("div");
      box.className = "tip-group tip-" + g.kind;
      const head = document.createElement("div");
      head.className = "tip-head";
      head.textContent = g.title;
      box.appendChild(head);
      const dl = document.createElement("dl");
      for (const [label, value] of g.rows) {
        if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) continue;
        const dt = document.createElement("dt");
        dt.textContent = label;
        const dd = document.createElement("dd");
        dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
        dl.append(dt, dd);
      }
      box.appendChild(dl);
      tip.appendChild(box);
    }
    tip.hidden = false;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    const left = Math.min(x + 14, window.scrollX + document.documentElement.clientWidth - w - 8);
    const top = (y + 18 + h > window.scrollY + window.innerHeight) ? y - h - 12 : y + 18;
    tip.style.left = Math.max(window.scrollX + 4, left) + "px";
    tip.style.top = Math.max(window.scrollY + 4, top) + "px";
  }

  function hide() { tip.hidden = true; }

  return { show: show, hide: hide };
})();
