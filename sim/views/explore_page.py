"""``explore.html``: one self-contained page (inline CSS, inline script, data inline as JSON;
a Content-Security-Policy forbids fetching anything) where a day slider moves the network map
and the timeline together. The style and the script are package data,
``sim/views/static/explore.css`` and ``explore.js``, inlined as they are.

The map sizes warehouses by units on hand and gateways by shipments queued, colours markets by
their service level and warehouses with a backlog in red, and marks the nodes and lanes a
disruption acts on that day with ``class="disrupted"``; the timeline draws service level, units
on hand and on backorder with the disruption windows shaded and a cursor at the day. The
figures of the day are in ``#day-figures``, every node's in ``#node-table``; a compare folder
gets a ``#strategy`` selector. Data: :func:`sim.views.explore.explore_data`.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from typing import Any

_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def _static(name: str) -> str:
    """The text of ``sim/views/static/<name>``, shipped as package data."""
    return (resources.files("sim.views") / "static" / name).read_text(encoding="utf-8")


def _esc(x: object) -> str:
    return html.escape(str(x), quote=True)


def _legend(data: dict[str, Any]) -> str:
    kinds = dict.fromkeys(n["kind"] for n in data["nodes"])
    colours = data["map"]["kind_colours"]
    items = "".join(f"<i style='background:{colours.get(k, '#666')}'></i>{_esc(k)}" for k in kinds)
    return (
        f"<p class='legend'>{items}<i style='background:#d62828'></i>warehouse with a "
        "backlog<i style='background:transparent;border:2px solid #d00000'></i>disrupted "
        "(dashed red: lane). Warehouses are sized by units on hand, ports and customs by "
        "shipments queued; markets coloured from red (service level 50% or less) to green "
        "(100%). Scroll to zoom, drag to pan, double-click to reset.</p>"
    )


def render(data: dict[str, Any]) -> str:
    """The whole page for ``data`` from :func:`sim.views.explore.explore_data`."""
    strategies = data["strategies"]
    d0, d1 = data["days"]
    rep = data["replication"]
    n = max(data["replications"].values(), default=0)
    of = max(data.get("of_replications", {}).values(), default=n)
    what = (
        f"replication {rep}"
        if rep is not None
        else f"mean of {n} replication{'s' if n != 1 else ''}"
        if of <= n
        else f"mean of the first {n} of {of} replications"
    )
    select = ""
    if len(strategies) > 1:
        opts = "".join(f"<option value='{_esc(s)}'>{_esc(s)}</option>" for s in strategies)
        select = f"<label>strategy <select id='strategy'>{opts}</select></label>"
    net = data["network"]
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    cols = "".join(
        f"<th>{c}</th>" for c in ("on hand", "backlog", "in transit", "queue", "service level")
    )
    body = [
        f"<h1>{_esc(data['title'])}</h1>",
        f"<p class='sub'>{_esc(net['name'])}: {_esc(net['description'])}. Figures per "
        f"measured day, {_esc(what)}"
        + (
            f"; strategies {_esc(', '.join(strategies))}"
            if len(strategies) > 1
            else f"; strategy {_esc(strategies[0])}"
        )
        + ".</p>",
        "<div class='controls'><button id='play' type='button'>&#9654; play</button>"
        f"<input type='range' id='day' min='{d0}' max='{d1}' step='1' value='{d0}' "
        f"aria-label='measured day'><span id='day-label'></span>{select}</div>",
        "<div id='day-figures' class='figures'></div>",
        "<p id='day-disruptions'></p>",
        "<svg id='map' role='img' aria-label='network map'></svg>",
        _legend(data),
        "<svg id='timeline' role='img' aria-label='timeline'></svg>",
        "<table id='node-table'><thead><tr><th>node</th><th>kind</th>"
        + cols
        + "<th>disrupted</th></tr></thead><tbody></tbody></table>",
        "<p class='note'>Units on hand, on backorder and inbound per warehouse; shipments and "
        "ships at berth or with an officer per port and customs office; units shipped from "
        "stock / units demanded per market. Day 0 is the first day after warm-up. With several "
        "replications a node counts as disrupted on a day when it is in at least one; the "
        "share says in how many. Data: daily.parquet and disruptions.parquet of this folder "
        "(written by <code>ripple explore</code>).</p>",
    ]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{_esc(data['title'])}</title><style>\n{_static('explore.css')}</style>"
        "</head><body>\n"
        + "\n".join(body)
        + f"\n<script type='application/json' id='ripple-data'>{payload}</script>\n"
        f"<script>\n{_static('explore.js')}</script>\n</body></html>\n"
    )
