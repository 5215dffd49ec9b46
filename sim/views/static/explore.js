(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("ripple-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  var slider = $("day"), select = $("strategy"), play = $("play");
  var day0 = D.days[0], day1 = D.days[1];
  var strategy = D.strategies[0];
  var M = D.map;

  // -- numbers and dates ------------------------------------------------------------------
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec"];
  var MDAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  function monthDay(day) {
    var doy = ((D.start_day_of_year - 1 + day) % 365 + 365) % 365, m = 0;
    while (doy >= MDAYS[m]) { doy -= MDAYS[m]; m += 1; }
    return [m, doy + 1];
  }
  function date(day) { var md = monthDay(day); return md[1] + " " + MONTHS[md[0]]; }
  function units(x) { return x == null ? "n/a" : Math.round(x).toLocaleString("en-US"); }
  function pct(x) { return x == null ? "n/a" : (100 * x).toFixed(1) + "%"; }
  function one(x) { return x == null ? "n/a" : x.toFixed(1); }
  function at(arr, i) { return arr ? arr[i] : null; }
  function slColour(sl) {
    if (sl == null) { return "#bbbbbb"; }
    var t = Math.max(0, Math.min(1, (sl - 0.5) / 0.5));
    return "hsl(" + Math.round(120 * t) + ",70%,40%)";
  }

  // -- the map ----------------------------------------------------------------------------
  var map = $("map");
  var full = {x: 0, y: 0, w: M.width, h: M.height}, vb = {x: 0, y: 0, w: M.width, h: M.height};
  function setView() {
    map.setAttribute("viewBox", [vb.x, vb.y, vb.w, vb.h].join(" "));
  }
  setView();
  var gCoast = el("g", {"class": "coast"}, map);
  M.coast.forEach(function (d) { el("path", {d: d}, gCoast); });
  var gLanes = el("g", {}, map), laneEls = {};
  M.lanes.forEach(function (ln) {
    var p = el("path", {d: ln.d, "class": "lane", "data-lane": ln.id,
                        stroke: M.mode_colours[ln.mode] || "#888"}, gLanes);
    el("title", {}, p).textContent = ln.id + " (" + ln.mode + ")";
    laneEls[ln.id] = p;
  });
  var gNodes = el("g", {}, map), gLabels = el("g", {}, map), nodeEls = {}, labelEls = {};
  var order = D.nodes.slice().sort(function (a, b) {
    return (b.kind === "customs") - (a.kind === "customs");  // customs under the ports
  });
  order.forEach(function (n) {
    var xy = M.nodes[n.id];
    var c = el("circle", {cx: xy[0], cy: xy[1], r: 4, "class": "node " + n.kind,
                          "data-node": n.id, fill: M.kind_colours[n.kind] || "#666"}, gNodes);
    c.appendChild(el("title", {}));
    nodeEls[n.id] = c;
    var always = n.kind === "market" || n.kind === "warehouse" || n.kind === "factory";
    var t = el("text", {x: xy[0] + 7, y: xy[1] - 6, "class": "label" + (always ? "" : " hidden"),
                        "data-always": always ? "1" : "0"}, gLabels);
    t.textContent = n.id;
    labelEls[n.id] = t;
  });
  function zoomK() { return vb.w / full.w; }
  // labels that would overlap one already placed are hidden: disrupted nodes first, then
  // markets, warehouses and factories (every node's name is in its tooltip and the table)
  var RANK = {market: 1, warehouse: 2, factory: 3};
  function declutter() {
    var placed = [];
    D.nodes.slice().sort(function (a, b) {
      var ra = labelEls[a.id].classList.contains("disrupted") ? 0 : RANK[a.kind] || 4;
      var rb = labelEls[b.id].classList.contains("disrupted") ? 0 : RANK[b.kind] || 4;
      return ra - rb;
    }).forEach(function (n) {
      var t = labelEls[n.id];
      if (t.classList.contains("hidden")) { return; }
      var b = t.getBBox();
      var clash = placed.some(function (p) {
        return b.x < p.x + p.width && p.x < b.x + b.width && b.y < p.y + p.height &&
          p.y < b.y + b.height;
      });
      if (clash) { t.classList.add("hidden"); } else { placed.push(b); }
    });
  }

  // wheel zooms around the pointer, dragging pans, a double click resets
  function toMap(evt) {
    var r = map.getBoundingClientRect();
    return {x: vb.x + (evt.clientX - r.left) / r.width * vb.w,
            y: vb.y + (evt.clientY - r.top) / r.height * vb.h};
  }
  map.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var p = toMap(evt), f = evt.deltaY < 0 ? 0.8 : 1.25;
    var w = Math.max(full.w / 40, Math.min(full.w, vb.w * f));
    f = w / vb.w;
    vb = {x: p.x - (p.x - vb.x) * f, y: p.y - (p.y - vb.y) * f, w: w, h: vb.h * f};
    setView();
    update();
  }, {passive: false});
  var drag = null;
  map.addEventListener("pointerdown", function (evt) {
    drag = {x: evt.clientX, y: evt.clientY, vb: {x: vb.x, y: vb.y, w: vb.w, h: vb.h}};
  });
  window.addEventListener("pointerup", function () { drag = null; });
  map.addEventListener("pointermove", function (evt) {
    if (!drag) { return; }
    var r = map.getBoundingClientRect();
    vb.x = drag.vb.x - (evt.clientX - drag.x) / r.width * vb.w;
    vb.y = drag.vb.y - (evt.clientY - drag.y) / r.height * vb.h;
    setView();
  });
  map.addEventListener("dblclick", function () {
    vb = {x: 0, y: 0, w: full.w, h: full.h};
    setView();
    update();
  });

  // -- the node table ---------------------------------------------------------------------
  var COLS = ["on_hand", "backlog", "in_transit", "queue", "service_level"];
  var tbody = $("node-table").querySelector("tbody"), rowEls = {};
  D.nodes.forEach(function (n) {
    if (n.kind === "factory") { return; }
    var tr = document.createElement("tr");
    tr.setAttribute("data-node", n.id);
    tr.title = n.name;
    [["", n.id], ["l", n.kind]].concat(COLS.map(function (c) { return ["", "", c]; }))
      .concat([["l", "", "disrupted"]]).forEach(function (cell) {
        var td = document.createElement("td");
        if (cell[0]) { td.className = cell[0]; }
        if (cell[2]) { td.setAttribute("data-k", cell[2]); }
        td.textContent = cell[1];
        tr.appendChild(td);
      });
    tbody.appendChild(tr);
    rowEls[n.id] = tr;
  });

  // -- the timeline -----------------------------------------------------------------------
  var TL = $("timeline"), TW = 960, L = 64, R = 14;
  var PANELS = [
    {keys: ["service_level"], top: 16, h: 120, label: "service level"},
    {keys: ["on_hand", "backlog"], top: 176, h: 120, label: "units (all warehouses)"}
  ];
  var COLOURS = {service_level: "#023047", on_hand: "#219ebc", backlog: "#d62828"};
  TL.setAttribute("viewBox", "0 0 " + TW + " 326");
  function x(day) { return L + (day - day0) / Math.max(day1 - day0, 1) * (TW - L - R); }
  function bounds(keys) {
    var lo = Infinity, hi = -Infinity;
    D.strategies.forEach(function (s) {
      keys.forEach(function (k) {
        D.series[s].total[k].forEach(function (v) {
          if (v != null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        });
      });
    });
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    if (keys[0] === "service_level") { return [Math.min(0.9, Math.floor(lo * 20) / 20), 1]; }
    return [0, Math.max(hi * 1.05, 1)];
  }
  PANELS.forEach(function (p) { p.range = bounds(p.keys); });
  function y(p, v) { return p.top + p.h - (v - p.range[0]) / (p.range[1] - p.range[0]) * p.h; }
  function line(p, arr) {
    var d = "", pen = false;
    arr.forEach(function (v, i) {
      if (v == null) { pen = false; return; }
      d += (pen ? "L" : "M") + x(day0 + i).toFixed(1) + " " + y(p, v).toFixed(1);
      pen = true;
    });
    return d;
  }
  var cursor;
  function drawTimeline() {
    while (TL.firstChild) { TL.removeChild(TL.firstChild); }
    (D.windows[strategy] || []).forEach(function (w) {
      var a = x(Math.max(w.start, day0)), b = x(Math.min(w.end, day1));
      PANELS.forEach(function (p) {
        var r = el("rect", {x: a, y: p.top, width: Math.max(b - a, 1), height: p.h,
                            "class": "window", opacity: 0.12 + 0.3 * w.share}, TL);
        el("title", {}, r).textContent = w.label;
      });
    });
    PANELS.forEach(function (p) {
      [0, 0.5, 1].forEach(function (f) {
        var v = p.range[0] + f * (p.range[1] - p.range[0]), yy = y(p, v);
        el("line", {x1: L, x2: TW - R, y1: yy, y2: yy, "class": "grid"}, TL);
        el("text", {x: L - 4, y: yy + 3, "text-anchor": "end", "class": "tick"}, TL)
          .textContent = p.keys[0] === "service_level" ? pct(v) : units(v);
      });
      el("text", {x: L, y: p.top - 4, "class": "tick"}, TL).textContent = p.label;
      D.strategies.forEach(function (s) {
        if (s === strategy) { return; }
        p.keys.forEach(function (k) {
          el("path", {d: line(p, D.series[s].total[k]), fill: "none", stroke: "#999",
                      "stroke-width": 0.9, "stroke-dasharray": "3 2"}, TL);
        });
      });
      p.keys.forEach(function (k) {
        el("path", {d: line(p, D.series[strategy].total[k]), fill: "none", stroke: COLOURS[k],
                    "stroke-width": 1.6, "data-series": k}, TL);
      });
    });
    for (var d = day0; d <= day1; d += 1) {
      var md = monthDay(d);
      if (md[1] === 1) {
        el("line", {x1: x(d), x2: x(d), y1: 296, y2: 300, "class": "axis"}, TL);
        el("text", {x: x(d), y: 312, "text-anchor": "middle", "class": "tick"}, TL)
          .textContent = MONTHS[md[0]];
      }
    }
    el("text", {x: TW - R, y: 324, "text-anchor": "end", "class": "tick"}, TL).textContent =
      "measured day " + day0 + " to " + day1 +
      (D.strategies.length > 1 ? "; dashed grey: the other strategies" : "");
    cursor = el("line", {y1: 8, y2: 300, "class": "cursor", id: "cursor"}, TL);
  }
  function fromTimeline(evt) {
    var r = TL.getBoundingClientRect();
    var px = (evt.clientX - r.left) / r.width * TW;
    var day = Math.round(day0 + (px - L) / (TW - L - R) * (day1 - day0));
    slider.value = Math.max(day0, Math.min(day1, day));
    update();
  }
  TL.addEventListener("pointerdown", function (evt) { fromTimeline(evt); });
  TL.addEventListener("pointermove", function (evt) { if (evt.buttons) { fromTimeline(evt); } });

  // -- one day ----------------------------------------------------------------------------
  function active(day) {
    return (D.windows[strategy] || []).filter(function (w) {
      return w.start < day + 1 && w.end > day;
    });
  }
  function update() {
    var day = +slider.value, i = day - day0, S = D.series[strategy];
    var hot = D.disrupted[strategy] || {}, k = zoomK();
    $("day-label").textContent = "day " + day + " \u00b7 " + date(day);
    D.nodes.forEach(function (n) {
      var m = S.nodes[n.id] || {}, r = 5, fill = M.kind_colours[n.kind] || "#666";
      var tip = n.name + " (" + n.id + ")";
      if (n.kind === "warehouse") {
        var oh = at(m.on_hand, i), bl = at(m.backlog, i);
        r = 4 + 12 * Math.sqrt(Math.max(oh || 0, 0) / Math.max(n.peak || 1, 1));
        if (bl > 0.5) { fill = "#d62828"; }
        tip += ": on hand " + units(oh) + ", backlog " + units(bl);
      } else if (n.kind === "port" || n.kind === "customs") {
        var q = at(m.queue, i);
        r = 3 + 11 * Math.sqrt(Math.max(q || 0, 0) / Math.max(n.peak || 0, 5));
        tip += ": queue " + one(q);
      } else if (n.kind === "market") {
        var sl = at(m.service_level, i);
        r = 7;
        fill = slColour(sl);
        tip += ": service level " + pct(sl);
      }
      var share = hot[n.id] ? hot[n.id][i] : 0, c = nodeEls[n.id];
      c.setAttribute("r", (r * k).toFixed(2));
      c.setAttribute("fill", fill);
      c.setAttribute("data-share", share);
      c.classList.toggle("disrupted", share > 0);
      if (share > 0) { gNodes.appendChild(c); }  // on top of its neighbours
      c.firstChild.textContent = tip + (share > 0 ? " \u2014 disrupted" : "");
      var t = labelEls[n.id];
      t.classList.toggle("disrupted", share > 0);
      t.classList.toggle("hidden", !(share > 0) && t.getAttribute("data-always") !== "1");
      t.setAttribute("font-size", (10 * k).toFixed(2));
      t.setAttribute("x", M.nodes[n.id][0] + 7 * k);
      t.setAttribute("y", M.nodes[n.id][1] - 6 * k);
      var row = rowEls[n.id];
      if (row) {
        row.classList.toggle("disrupted", share > 0);
        COLS.forEach(function (col) {
          var v = at(m[col], i);
          row.querySelector("[data-k='" + col + "']").textContent =
            m[col] == null ? "" : col === "service_level" ? pct(v) :
              col === "queue" ? one(v) : units(v);
        });
        row.querySelector("[data-k='disrupted']").textContent =
          share > 0 ? (share >= 1 ? "yes" : pct(share) + " of runs") : "";
      }
    });
    declutter();
    M.lanes.forEach(function (ln) {
      var share = hot[ln.id] ? hot[ln.id][i] : 0, p = laneEls[ln.id];
      p.classList.toggle("disrupted", share > 0);
      p.setAttribute("data-share", share);
    });
    var T = S.total, worst = null;
    Object.keys(S.nodes).forEach(function (id) {
      var q = at(S.nodes[id].queue, i);
      if (q != null && (worst === null || q > worst[1])) { worst = [id, q]; }
    });
    var figs = [["service_level", pct(at(T.service_level, i)), "service level"],
                ["backlog", units(at(T.backlog, i)), "units on backorder"],
                ["on_hand", units(at(T.on_hand, i)), "units on hand"],
                ["in_transit", units(at(T.in_transit, i)), "units inbound"],
                ["queue", one(at(T.queue, i)), "shipments queued at gateways"]];
    if (worst) { figs.push(["longest_queue", one(worst[1]), "at " + worst[0]]); }
    var box = $("day-figures");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    figs.forEach(function (f) {
      var span = document.createElement("span"), b = document.createElement("b");
      span.setAttribute("data-k", f[0]);
      b.textContent = f[1];
      span.appendChild(b);
      span.appendChild(document.createTextNode(" " + f[2]));
      box.appendChild(span);
    });
    var now = active(day), dis = $("day-disruptions"), n = D.replications[strategy];
    dis.classList.toggle("calm", now.length === 0);
    dis.textContent = now.length === 0 ? "No disruption on this day." :
      "Disrupted: " + now.map(function (w) {
        return w.label + " (" + w.kind.replace(/_/g, " ") + " at " + w.target + ", days " +
          w.start + "\u2013" + w.end + (w.share < 1 ? ", in " + Math.round(w.share * n) +
          " of " + n + " replications" : "") + ")";
      }).join("; ");
    cursor.setAttribute("x1", x(day));
    cursor.setAttribute("x2", x(day));
  }

  slider.addEventListener("input", update);
  if (select) {
    select.addEventListener("change", function () {
      strategy = select.value;
      drawTimeline();
      update();
    });
  }
  var timer = null;
  play.addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25b6 play"; return; }
    if (+slider.value >= day1) { slider.value = day0; }
    play.textContent = "\u275a\u275a pause";
    timer = setInterval(function () {
      if (+slider.value >= day1) { play.click(); return; }
      slider.value = +slider.value + 1;
      update();
    }, 70);
  });
  drawTimeline();
  update();
  document.body.setAttribute("data-ready", "1");
})();
