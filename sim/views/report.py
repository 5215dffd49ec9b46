"""The run report: figures saved as PNG under ``figures/`` and a self-contained
``report.html`` (images embedded, inline CSS, nothing fetched) a person can read: the plain-words
summary, the run's facts, KPI and cost tables, disruptions, figures and the fulfilment plan."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ..analysis.kpis import COST_KPI
from ..analysis.resilience import PART_NAMES
from ..config.spec import Scenario
from ..config.targets import affected
from ..core.enums import NodeKind
from ..plan import Plan
from ..run.experiment import ExperimentResult
from .daily_figures import Mark, daily_inventory, daily_service
from .html_common import CSS, esc, save_png
from .kpi_figures import kpi_distributions, waits_by_cause
from .kpi_values import ci_text, fmt, kpi_mean, kpi_row, pct
from .map_figure import network_map, pacific_centred
from .report_sections import disruptions_html, plan_html, waits_html
from .report_text import summary_text
from .timeline import timeline

log = logging.getLogger(__name__)

SERVICE = (
    "fill_rate",
    "line_fill_rate",
    "otif",
    "lead_time_mean",
    "lead_time_p50",
    "lead_time_p95",
)
SHORTAGE = ("backorder_units", "backlog_end", "lost_sales", "stockout_days")
INVENTORY = ("avg_on_hand", "avg_in_transit", "inventory_turns", "demand_units", "shipped_units")
HEADLINE = SERVICE + SHORTAGE + INVENTORY
COSTS = tuple(COST_KPI.values())
RESILIENCE = (
    "disruptions",
    "disrupted_days",
    "time_to_survive",
    "stockout_caused",
    "time_to_recover",
    "recovered",
    "performance_loss",
    "peak_backlog",
    "extra_peak_backlog",
)
# What a disruption cost: the figure to quote, then its parts (over the window and the drain).
DISRUPTION_COST = ("disruption_cost", "lost_margin", "extra_cost", *PART_NAMES.values())
DISTRIBUTIONS = ("fill_rate", "otif", "lead_time_p95", "total_cost")


# -- HTML pieces ----------------------------------------------------------------------------


def _table(summary: pd.DataFrame, names: tuple[str, ...]) -> str:
    rows = [
        "<tr><th>KPI</th><th class='l'>unit</th><th>mean</th><th>95% CI</th><th>sd</th>"
        "<th>n</th></tr>"
    ]
    for k in names:
        r = kpi_row(summary, k)
        if r is None:
            continue
        rows.append(
            f"<tr><td><code>{esc(k)}</code></td><td class='l'>{esc(r['unit'])}</td>"
            f"<td>{esc(fmt(r['mean'], r['unit']))}</td><td>{esc(ci_text(r))}</td>"
            f"<td>{esc(fmt(r['sd'], r['unit']))}</td><td>{int(r['n'])}</td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>" if len(rows) > 1 else ""


def _nonzero(summary: pd.DataFrame, kpi: str) -> bool:
    """Whether a KPI differs from 0 in some replication (a part worth a row)."""
    r = kpi_row(summary, kpi)
    return r is not None and not (r["mean"] == 0 and r["sd"] == 0)


def _cost_table(summary: pd.DataFrame) -> str:
    total = kpi_mean(summary, "total_cost") or 0.0
    rows = [
        "<tr><th>component</th><th>mean (USD)</th><th>share</th><th class='l'></th>"
        "<th>95% CI (USD)</th></tr>"
    ]
    for k in (*COSTS, "total_cost"):
        r = kpi_row(summary, k)
        if r is None:
            continue
        share = r["mean"] / total if total > 0 and math.isfinite(r["mean"]) else float("nan")
        bar = (
            f"<span class='bar' style='width:{max(share, 0.0) * 220:.0f}px'></span>"
            if math.isfinite(share) and k != "total_cost"
            else ""
        )
        name = k.removeprefix("cost_").replace("_", " ") if k != "total_cost" else "total"
        cell = f"<b>{esc(name)}</b>" if k == "total_cost" else esc(name)
        rows.append(
            f"<tr><td>{cell} <code class='note'>{esc(k)}</code></td>"
            f"<td>{esc(fmt(r['mean'], 'USD'))}</td>"
            f"<td>{pct(share) if math.isfinite(share) else 'n/a'}</td>"
            f"<td class='l'>{bar}</td><td>{esc(ci_text(r))}</td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def promotion_marks(sc: Scenario) -> list[Mark]:
    """Promotion windows in measured days (day 0 is ``start_day_of_year``)."""
    ex = sc.experiment
    marks: list[Mark] = []
    for p in sc.demand.promotions:
        first = (p.day_of_year - ex.start_day_of_year) % 365
        for start in range(first, ex.horizon_days, 365):
            marks.append((p.name, float(start), float(start + p.days)))
    return marks


_PLURAL = {NodeKind.FACTORY: "factories", NodeKind.CUSTOMS: "customs offices"}


def _count(n: int, kind: NodeKind) -> str:
    word = "customs office" if kind is NodeKind.CUSTOMS else kind.value
    return f"{n} {word if n == 1 else _PLURAL.get(kind, kind.value + 's')}"


def _facts(sc: Scenario, result: ExperimentResult) -> list[tuple[str, str]]:
    net, ex = sc.network, sc.experiment
    kinds = ", ".join(_count(len(net.of_kind(k)), k) for k in NodeKind if net.of_kind(k))
    modes = pd.Series([ln.mode.value for ln in net.lanes]).value_counts()
    lanes = ", ".join(f"{v} {k}" for k, v in modes.items())
    classes = ", ".join(f"{int(sc.demand.class_mask(c).sum())} {c}" for c in sc.demand.classes)
    n = len(result.kpis)
    return [
        ("scenario", sc.name),
        ("network", f"{net.name}: {len(net.nodes)} nodes ({kinds})"),
        ("lanes", f"{len(net.lanes)} ({lanes})"),
        (
            "SKUs",
            f"{len(sc.demand.skus)} ({classes}); demand {sc.demand.name}, "
            f"{sc.demand.distribution.value}",
        ),
        (
            "strategy / policy",
            f"{sc.strategy.name} / {sc.policy.name} (unmet demand: {sc.policy.unmet.value})",
        ),
        ("disruptions", sc.disruptions.description or sc.disruptions.name),
        ("seed", str(sc.seed)),
        (
            "replications",
            str(n) + ("" if n == ex.replications else f" (configured {ex.replications})"),
        ),
        (
            "horizon",
            f"{ex.horizon_days} measured days from day of year "
            f"{ex.start_day_of_year}, after a {ex.warmup_days}-day warm-up",
        ),
        ("handlers", result.backend),
        ("executor", f"{ex.executor}" + (f", {ex.workers} workers" if ex.workers else "")),
    ]


# -- the report -----------------------------------------------------------------------------


def _figures(sc: Scenario, plan: Plan, result: ExperimentResult) -> list[tuple[str, Figure, str]]:
    """(file stem, figure, caption) of every figure in the report."""
    hot: set[str] = set()
    for kind, target in (
        result.disruptions[["kind", "target"]].drop_duplicates().itertuples(index=False)
    ):
        nodes, lanes = affected(sc.network, str(kind), str(target))
        hot |= nodes | lanes
    marks = promotion_marks(sc)
    names = ", ".join(dict.fromkeys(m[0] for m in marks))
    shaded = f" Shaded: promotions ({names})." if names else ""
    reps = result.daily["replication"].nunique() if not result.daily.empty else 0
    sample = (
        ""
        if reps >= len(result.kpis)
        else f" Daily series of the first {reps} of {len(result.kpis)} replications."
    )
    return [
        (
            "network_map",
            network_map(sc, plan, hot),
            "The network by longitude and latitude"
            + (
                " (Pacific in the middle; ticks in real degrees)"
                if pacific_centred(n.lon for n in sc.network.nodes)
                else ""
            )
            + ": nodes by kind, lanes by mode. Solid thick lanes are used by the fulfilment plan, "
            "dashed faint ones are not" + ("; disrupted elements in red." if hot else "."),
        ),
        (
            "timeline",
            timeline(result.daily, result.disruptions),
            "Service level over all markets, warehouse inventory and the longest gateway queues "
            "by measured day; disruption windows shaded." + sample,
        ),
        (
            "daily_service",
            daily_service(result.daily, marks),
            "Daily service level per market (units shipped from stock / units demanded): mean "
            "over replications and the band between their 10th and 90th percentiles."
            + shaded
            + sample,
        ),
        (
            "daily_inventory",
            daily_inventory(result.daily, marks),
            "Units on hand, in transit towards the warehouse (produced, not yet received) and on "
            "backorder per warehouse, mean over replications." + shaded + sample,
        ),
        (
            "waits_by_cause",
            waits_by_cause(result.waits),
            "Where replenishment shipments spent their time after warm-up: unit-days per "
            "replication by cause (left) and mean days per shipment at a stop with that cause "
            "(right; a shipment crossing four lanes counts four transit stops).",
        ),
        (
            "kpi_distributions",
            kpi_distributions(result.kpis, list(DISTRIBUTIONS)),
            "Headline KPIs across replications: the spread behind the means and intervals in the "
            "tables.",
        ),
    ]


def write_report(
    run_dir: Path,
    sc: Scenario,
    plan: Plan,
    result: ExperimentResult,
    summary: pd.DataFrame,
    note: str = "",
) -> Path:
    """Write ``figures/*.png`` and ``report.html`` into ``run_dir``; return the report path.
    ``note``: a line shown under the summary (such as the sequential-stopping outcome)."""
    run_dir = Path(run_dir)
    fig_dir = run_dir / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    imgs = []
    for name, fig, caption in _figures(sc, plan, result):
        data = save_png(fig, fig_dir / f"{name}.png")
        imgs.append(
            f'<figure id="{name}"><img alt="{esc(name)}" '
            f'src="data:image/png;base64,{data}">'
            f"<figcaption>{esc(caption)} <code>figures/{esc(name)}.png</code>"
            "</figcaption></figure>"
        )
    fact_rows = "".join(
        f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in _facts(sc, result)
    )
    grouped = set(HEADLINE) | set(COSTS) | {"total_cost"} | set(RESILIENCE)
    other = tuple(k for k in summary["kpi"] if k not in grouped)
    body = [
        f"<h1>Ripple run: {esc(sc.name)}</h1>",
        f"<p class='sub'>{esc(sc.network.name)}: {esc(sc.network.description)}</p>",
        f'<p class="lead">{esc(summary_text(summary, sc))}</p>',
        "<p class='note'><a href='explore.html'>Explore the run day by day</a>: a slider "
        "moves the map (stock and queues per node, disruptions highlighted) and the timeline "
        "together (explore.html, works offline).</p>",
        f"<p class='note'>{esc(note)}</p>" if note else "",
        "<h2>Run</h2>",
        f'<table class="facts">{fact_rows}</table>',
        "<h2>Key performance indicators</h2>",
        "<p class='note'>Means over replications with the Student-t 95% confidence interval "
        "of the mean (shares clipped to 0-100%). Definitions: "
        "<code>sim/analysis/kpis.py</code>.</p>",
        "<h3>Service and lead time</h3>",
        _table(summary, SERVICE),
        "<h3>Shortages</h3>",
        _table(summary, SHORTAGE),
        "<h3>Inventory and volume</h3>",
        _table(summary, INVENTORY),
        "<h2>Cost split</h2>",
        _cost_table(summary),
    ]
    if other:
        body += ["<h3>Other</h3>", _table(summary, other)]
    if not result.disruptions.empty:
        body += [
            "<h2>Disruptions and resilience</h2>",
            disruptions_html(result),
            _table(summary, RESILIENCE),
            "<h3>What the disruptions cost</h3>",
            "<p class='note'>Against the same replications without them (the same random draws "
            "for all they left alone), from the warm-up to the end of the drain the comparison "
            "runs on past the horizon, so that costs the disruptions pushed past it count: "
            "<code>disruption_cost</code> = <code>extra_cost</code> + <code>lost_margin</code>; "
            "the <code>extra_</code> rows are the parts of <code>extra_cost</code>.</p>",
            _table(summary, tuple(k for k in DISRUPTION_COST if _nonzero(summary, k))),
        ]
    body += [
        "<h2>Figures</h2>",
        *imgs,
        waits_html(result),
        "<h2>Fulfilment plan</h2>",
        plan_html(sc, plan),
        "<p class='note'>KPI definitions: sim/analysis/kpis.py and "
        "sim/analysis/resilience.py. Tables: kpis.parquet, daily.parquet, waits.parquet, "
        "disruptions.parquet, summary.csv."
        "</p>",
    ]
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Ripple: {esc(sc.name)}</title><style>{CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
    out = run_dir / "report.html"
    out.write_text(page, encoding="utf-8")
    log.info("report written to %s", out)
    return out
