"""The run report: figures saved as PNG under ``figures/`` and a self-contained
``report.html`` (images embedded, inline CSS, nothing fetched) a person can read."""

from __future__ import annotations

import base64
import html
import io
import logging
import math
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from . import figures
from .enums import NodeKind
from .experiment import ExperimentResult
from .plan import Plan
from .spec import Scenario
from .timeline import timeline

log = logging.getLogger(__name__)

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#1d2433;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid
#ddd;padding-bottom:.2em}table{border-collapse:collapse;font-size:.9em;margin:.6em 0}
td,th{border-bottom:1px solid #e5e5e5;padding:.25em .7em;text-align:right}
th{background:#f4f6f8}td:first-child,th:first-child{text-align:left}
.lead{font-size:1.05em;background:#f4f8fb;border-left:4px solid #1982c4;padding:.6em 1em}
figure{margin:1.2em 0}figcaption{font-size:.85em;color:#555}img{max-width:100%}
.facts td{text-align:left}
"""

HEADLINE = ("fill_rate", "line_fill_rate", "otif", "lead_time_mean", "lead_time_p50",
            "lead_time_p95", "backorder_units", "lost_sales", "stockout_days", "avg_on_hand",
            "avg_in_transit", "inventory_turns", "total_cost")
COSTS = ("cost_transport", "cost_handling", "cost_customs", "cost_holding",
         "cost_lost_sales_penalty", "cost_expedite")
RESILIENCE = ("time_to_survive", "stockout_caused", "time_to_recover", "recovered",
              "performance_loss", "peak_backlog", "extra_peak_backlog", "extra_cost")


def fmt(value: float, unit: str) -> str:
    """A KPI value for people: shares as %, money with separators, days with 2 decimals."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit.startswith("share"):
        return f"{100 * value:.2f}%"
    if unit == "USD":
        return f"{value:,.0f}"
    if unit == "days":
        return f"{value:.2f}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _row(summary: pd.DataFrame, kpi: str) -> pd.Series | None:
    r = summary[summary["kpi"] == kpi]
    return None if r.empty else r.iloc[0]


def _ci(r: pd.Series) -> str:
    if r["n"] < 2 or not math.isfinite(r["half_width"]):
        return ""
    return f"{fmt(r['ci_low'], r['unit'])} to {fmt(r['ci_high'], r['unit'])}"


def summary_text(summary: pd.DataFrame, sc: Scenario) -> str:
    """A few sentences saying what happened, each figure with its 95% interval."""
    def val(k: str) -> str:
        r = _row(summary, k)
        return "n/a" if r is None else fmt(r["mean"], r["unit"])

    def ci(k: str) -> str:
        r = _row(summary, k)
        return "" if r is None or not _ci(r) else f" (95% CI {_ci(r)})"

    ex = sc.experiment
    n = int(_row(summary, "fill_rate")["n"]) if _row(summary, "fill_rate") is not None else 0
    parts = [
        f"Over {n} replications of a {ex.horizon_days}-day horizon after a {ex.warmup_days}-day "
        f"warm-up, {val('fill_rate')} of units{ci('fill_rate')} were shipped from stock on the "
        f"day they were ordered, and {val('otif')} of order lines arrived on time and in "
        f"full{ci('otif')}.",
        f"Customers waited {val('lead_time_mean')} days on average from order to delivery, "
        f"{val('lead_time_p95')} days at the 95th percentile.",
        f"Total cost was {val('total_cost')} USD{ci('total_cost')}, with "
        f"{val('avg_on_hand')} units on hand and {val('avg_in_transit')} in transit on average.",
    ]
    d = _row(summary, "disruptions")
    if d is not None and d["mean"] > 0:
        loss, rec = _row(summary, "performance_loss"), _row(summary, "recovered")
        parts.append(
            f"The disruptions cost {val('performance_loss')} service-level-days against the same "
            f"replications without them{ci('performance_loss')}; service recovered within "
            f"{val('time_to_recover')} days of the first disruption's start on average "
            f"(in {fmt(rec['mean'], 'share') if rec is not None else 'n/a'} of replications), "
            f"and they changed cost by {val('extra_cost')} USD{ci('extra_cost')}."
            if loss is not None else "")
    return " ".join(p for p in parts if p)


def _png(fig: Figure, path: Path) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    data = buf.getvalue()
    path.write_bytes(data)
    return base64.b64encode(data).decode("ascii")


def _table(summary: pd.DataFrame, names: tuple[str, ...]) -> str:
    rows = ["<tr><th>KPI</th><th>unit</th><th>mean</th><th>sd</th><th>95% CI</th></tr>"]
    for k in names:
        r = _row(summary, k)
        if r is None:
            continue
        rows.append(f"<tr><td>{html.escape(k)}</td><td>{html.escape(r['unit'])}</td>"
                    f"<td>{fmt(r['mean'], r['unit'])}</td><td>{fmt(r['sd'], r['unit'])}</td>"
                    f"<td>{html.escape(_ci(r))}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _plan_html(sc: Scenario, plan: Plan) -> str:
    names = {n.id: n.name for n in sc.network.nodes}
    rows = ["<tr><th>market</th><th>served by</th><th>last-mile lane</th></tr>"]
    for m, w, lane in plan.market_warehouse:
        rows.append(f"<tr><td>{html.escape(names[m])}</td><td>{html.escape(names[w])}</td>"
                    f"<td>{html.escape(lane)}</td></tr>")
    sup = ["<tr><th>warehouse</th><th>class</th><th>route</th><th>expected days</th></tr>"]
    for s in plan.supply:
        sup.append(f"<tr><td>{html.escape(s.warehouse)}</td><td>{html.escape(s.size_class)}</td>"
                   f"<td>{html.escape(' -> '.join(s.route.nodes))}</td>"
                   f"<td>{s.route.expected_days:.1f}</td></tr>")
    return "<table>" + "".join(rows) + "</table><table>" + "".join(sup) + "</table>"


def _disruptions_html(result: ExperimentResult) -> str:
    d = result.disruptions
    if d.empty:
        return "<p>No disruptions.</p>"
    first = d[d["replication"] == d["replication"].min()]
    rows = ["<tr><th>label</th><th>kind</th><th>target</th><th>start day</th><th>end day</th>"
            "</tr>"]
    for r in first.itertuples():
        rows.append(f"<tr><td>{html.escape(str(r.label))}</td><td>{html.escape(r.kind)}</td>"
                    f"<td>{html.escape(r.target)}</td><td>{r.start:.1f}</td><td>{r.end:.1f}</td>"
                    "</tr>")
    note = ("" if d["source"].str.startswith("disruption.scripted").all() else
            "<p>Random disruptions differ by replication; the first replication's are listed "
            f"({len(d)} windows over all replications in disruptions.parquet).</p>")
    return "<table>" + "".join(rows) + "</table>" + note


def write_report(run_dir: Path, sc: Scenario, plan: Plan, result: ExperimentResult,
                 summary: pd.DataFrame) -> Path:
    """Write ``figures/*.png`` and ``report.html`` into ``run_dir``; return the report path."""
    fig_dir = run_dir / "figures"
    fig_dir.mkdir(exist_ok=True)
    hot = set(result.disruptions["target"]) if not result.disruptions.empty else set()
    hot |= {ln.id for ln in sc.network.lanes
            if f"via:{ln.via}" in hot or (ln.carrier and ln.carrier in hot)}
    made = [
        ("network_map", figures.network_map(sc, plan, hot),
         "The network by latitude and longitude: nodes by kind, lanes by mode (solid: used by "
         "the fulfilment plan); disrupted elements in red."),
        ("timeline", timeline(result.daily, result.disruptions),
         "Service level, warehouse inventory and the longest queues by day; disruption windows "
         "shaded."),
        ("daily_service", figures.daily_service(result.daily),
         "Daily service level per market (mean and 10-90% band across replications)."),
        ("daily_inventory", figures.daily_inventory(result.daily),
         "On hand, in transit and backlog per warehouse (mean across replications)."),
        ("waits_by_cause", figures.waits_by_cause(result.waits),
         "Where shipments spent their time, by cause."),
        ("kpi_distributions", figures.kpi_distributions(
            result.kpis, ["fill_rate", "otif", "lead_time_p95", "total_cost"]),
         "KPIs across replications."),
    ]
    imgs = []
    for name, fig, caption in made:
        data = _png(fig, fig_dir / f"{name}.png")
        imgs.append(f'<figure><img alt="{name}" src="data:image/png;base64,{data}">'
                    f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    counts = ", ".join(f"{len(sc.network.of_kind(k))} {k.value}" for k in NodeKind)
    facts = [("scenario", sc.name), ("network", f"{sc.network.name} ({counts}; "
                                                 f"{len(sc.network.lanes)} lanes)"),
             ("SKUs", f"{len(sc.demand.skus)} in classes {', '.join(sc.demand.classes)}"),
             ("strategy", sc.strategy.name), ("policy", sc.policy.name),
             ("disruptions", sc.disruptions.description or sc.disruptions.name),
             ("replications", str(sc.experiment.replications)), ("seed", str(sc.seed)),
             ("horizon", f"{sc.experiment.horizon_days} days after a "
                         f"{sc.experiment.warmup_days}-day warm-up"),
             ("handlers", result.backend)]
    fact_rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
                        for k, v in facts)
    body = [
        f"<h1>Ripple run: {html.escape(sc.name)}</h1>",
        f"<p>{html.escape(sc.network.description)}</p>",
        f'<p class="lead">{html.escape(summary_text(summary, sc))}</p>',
        f'<table class="facts">{fact_rows}</table>',
        "<h2>Service, lead time and inventory</h2>", _table(summary, HEADLINE),
        "<h2>Cost split</h2>", _table(summary, COSTS),
    ]
    if not result.disruptions.empty:
        body += ["<h2>Disruptions and resilience</h2>", _disruptions_html(result),
                 _table(summary, RESILIENCE)]
    body += ["<h2>Figures</h2>", *imgs, "<h2>Fulfilment plan</h2>", _plan_html(sc, plan),
             "<p>KPI definitions: sim/kpis.py and sim/resilience.py. Tables: kpis.parquet, "
             "daily.parquet, waits.parquet, disruptions.parquet, summary.csv.</p>"]
    page = ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Ripple: {html.escape(sc.name)}</title><style>{_CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>")
    out = run_dir / "report.html"
    out.write_text(page, encoding="utf-8")
    log.info("report written to %s", out)
    return out
