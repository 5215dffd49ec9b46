"""The report's sections in HTML: the fulfilment plan (pools, supplies, outlets), where
shipments waited, and the disruption windows the replications faced."""

from __future__ import annotations

from ..config.spec import Scenario
from ..plan import Plan, Supply
from ..run.experiment import ExperimentResult
from .html_common import esc


def _route(sc: Scenario, s: Supply) -> str:
    if not s.route.lanes:
        return f"made to stock at {s.factory}"
    modes = [sc.network.lane_by_id[lid].mode.value for lid in s.route.lanes]
    return (
        f"{' -> '.join(s.route.nodes)} (expected {s.route.expected_days:.1f} days)"
        f"; by {', '.join(modes)}"
    )


def plan_html(sc: Scenario, plan: Plan) -> str:
    """Which stock pool serves which market (channel, class), along which delivery route, and
    how each pool is replenished."""
    net = sc.network
    rows = [
        "<tr><th>market</th><th class='l'>channel / class</th><th class='l'>served from"
        "</th><th class='l'>delivery route</th><th>expected days</th></tr>"
    ]
    for o in plan.outlets:
        node = plan.pool(o.pool).node
        what = " / ".join(x for x in (o.channel, o.size_class) if x) or "all"
        modes = sorted({net.lane_by_id[lid].mode.value for lid in o.route.lanes})
        rows.append(
            f"<tr><td>{esc(o.market)} <span class='note'>"
            f"{esc(net.node_by_id[o.market].name)}</span></td><td class='l'>"
            f"{esc(what)}</td><td class='l'>{esc(o.pool)} <span class='note'>"
            f"{esc(net.node_by_id[node].name)}</span></td><td class='l'>"
            f"{esc(' -> '.join(o.route.nodes))} ({esc(', '.join(modes))})</td>"
            f"<td>{o.route.expected_days:.2f}</td></tr>"
        )
    out = [
        f"<h3>Markets (strategy {esc(sc.strategy.name)}: {esc(sc.strategy.kind.value)})"
        "</h3><table>" + "".join(rows) + "</table>"
    ]
    if plan.feeds:
        fr = ["<tr><th>pool</th><th class='l'>fed from</th><th class='l'>route</th></tr>"]
        for f in plan.feeds:
            fr.append(
                f"<tr><td>{esc(f.pool)}</td><td class='l'>{esc(f.source)}</td>"
                f"<td class='l'>{esc(' -> '.join(f.route.nodes))} (expected "
                f"{f.route.expected_days:.1f} days)</td></tr>"
            )
        out.append(
            "<h3>Fulfilment centres and their reservoir</h3><table>" + "".join(fr) + "</table>"
        )
    for title, sups in (
        ("Supply routes", plan.supply),
        ("Second source", plan.secondary),
        ("Expedite routes", plan.expedite),
    ):
        if not sups:
            continue
        sup = ["<tr><th>pool</th><th class='l'>class</th><th class='l'>route</th></tr>"]
        for s in sups:
            sup.append(
                f"<tr><td>{esc(s.pool_id)}</td><td class='l'>{esc(s.size_class)}"
                f"</td><td class='l'>{esc(_route(sc, s))}</td></tr>"
            )
        out.append(f"<h3>{esc(title)}</h3><table>" + "".join(sup) + "</table>")
    if plan.transfers:
        tr = ["<tr><th>from</th><th class='l'>to</th><th class='l'>route</th></tr>"]
        for a, b, r in plan.transfers:
            tr.append(
                f"<tr><td>{esc(a)}</td><td class='l'>{esc(b)}</td><td class='l'>"
                f"{esc(' -> '.join(r.nodes))} (expected {r.expected_days:.1f} days)"
                "</td></tr>"
            )
        out.append("<h3>Transfers between warehouses</h3><table>" + "".join(tr) + "</table>")
    return "".join(out)


def waits_html(result: ExperimentResult, top: int = 8) -> str:
    """The places where replenishment shipments lost the most unit-days."""
    w = result.waits
    if w.empty:
        return ""
    reps = max(w["replication"].nunique(), 1)
    g = (
        w.assign(days=w["mean_days"] * w["shipments"])
        .groupby(["where", "cause"])[["unit_days", "shipments", "days"]]
        .sum()
    )
    g = g.sort_values("unit_days", ascending=False).head(top)
    rows = [
        "<tr><th>where</th><th class='l'>cause</th><th>unit-days per replication</th>"
        "<th>shipments per replication</th><th>mean days per shipment</th></tr>"
    ]
    for (where, cause), r in g.iterrows():
        mean = r["days"] / r["shipments"] if r["shipments"] > 0 else float("nan")
        rows.append(
            f"<tr><td>{esc(where)}</td><td class='l'>{esc(cause)}</td>"
            f"<td>{r['unit_days'] / reps:,.0f}</td><td>{r['shipments'] / reps:,.1f}</td>"
            f"<td>{mean:.2f}</td></tr>"
        )
    return "<h3>Largest waits by place</h3><table>" + "".join(rows) + "</table>"


def disruptions_html(result: ExperimentResult) -> str:
    d = result.disruptions
    if d.empty:
        return "<p>No disruptions.</p>"
    first = d[d["replication"] == d["replication"].min()]
    rows = [
        "<tr><th>label</th><th class='l'>kind</th><th class='l'>target</th>"
        "<th>start day</th><th>end day</th></tr>"
    ]
    for r in first.itertuples():
        rows.append(
            f"<tr><td>{esc(r.label)}</td><td class='l'>{esc(r.kind)}</td>"
            f"<td class='l'>{esc(r.target)}</td><td>{r.start:.1f}</td>"
            f"<td>{r.end:.1f}</td></tr>"
        )
    note = (
        ""
        if d["source"].str.startswith("disruption.scripted").all()
        else "<p class='note'>Random disruptions differ by replication; the first "
        f"replication's are listed ({len(d)} windows over all replications in "
        "disruptions.parquet).</p>"
    )
    return "<table>" + "".join(rows) + "</table>" + note
