"""The compare report: a self-contained ``report.html`` (figures embedded as PNG, inline CSS,
nothing fetched) built from a compare folder's tables: plain words on who wins on what, KPI
distributions by strategy, the cost-service frontier, paired differences to the baseline, daily
service-level bands and the network."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ..analysis.columns import KPI_UNITS
from ..analysis.compare import frontier
from ..analysis.kpis import HIGHER_IS_BETTER
from ..config.spec import Scenario
from ..plan import Plan
from ..run.experiment import REPORT_SAMPLE
from . import compare_figures as cf
from . import compare_text as ct
from .daily_figures import Mark
from .html_common import CSS, esc, save_png
from .kpi_values import ci_text, fmt
from .map_figure import network_map, plan_lanes

log = logging.getLogger(__name__)

MAIN = (
    "fill_rate",
    "otif",
    "lead_time_mean",
    "lead_time_p95",
    "total_cost",
    "margin",
    "avg_on_hand",
)
SERVICE, COST = "fill_rate", "total_cost"


@dataclass(frozen=True)
class Arm:
    """One compared strategy: its name, scenario and fulfilment plan."""

    name: str
    sc: Scenario
    plan: Plan


@dataclass(frozen=True)
class Tables:
    """What the report reads from a compare folder."""

    kpis: pd.DataFrame
    summary: pd.DataFrame
    paired: pd.DataFrame
    market_daily: pd.DataFrame
    disruptions: pd.DataFrame

    @classmethod
    def read(cls, d: Path) -> "Tables":
        """Read the folder's tables; the daily series of markets only, for the first
        :data:`REPORT_SAMPLE` replications."""
        daily = pd.read_parquet(
            d / "daily.parquet",
            columns=["strategy", "replication", "day", "shipped", "demand"],
            filters=[("kind", "==", "market"), ("replication", "<", REPORT_SAMPLE)],
        )
        return cls(
            pd.read_parquet(d / "kpis.parquet"),
            pd.read_parquet(d / "summary.parquet"),
            pd.read_parquet(d / "paired.parquet"),
            daily,
            pd.read_parquet(d / "disruptions.parquet"),
        )


def main_kpis(kpis: pd.DataFrame) -> list[str]:
    """The headline KPIs present with values (``margin`` only where it is computed)."""
    return [k for k in MAIN if k in kpis and kpis[k].notna().any()]


def disruption_marks(disruptions: pd.DataFrame, strategy: str) -> list[Mark]:
    """Windows to shade: those of the strategy's first replication (scripted ones are the same
    in every replication; random ones are the same for every strategy on a seed)."""
    d = disruptions
    if d.empty:
        return []
    if "strategy" in d:
        d = d[d["strategy"] == strategy]
    d = d[d["replication"] == d["replication"].min()].drop_duplicates(["label", "start", "end"])
    return [(str(r.label), float(r.start), float(r.end)) for r in d.itertuples()]


def union_plan(arms: Sequence[Arm]) -> Plan:
    """One plan holding every strategy's routes (each tuple field merged), for a single map."""
    base = arms[0].plan

    def merged(name: str) -> tuple:
        seen: dict = {}
        for a in arms:
            for x in getattr(a.plan, name):
                seen.setdefault(repr(x), x)
        return tuple(seen.values())

    return replace(
        base,
        **{
            f.name: merged(f.name) for f in fields(base) if isinstance(getattr(base, f.name), tuple)
        },
    )


def _hot(sc: Scenario, disruptions: pd.DataFrame) -> set[str]:
    hot = set(disruptions["target"]) if not disruptions.empty else set()
    return hot | {
        ln.id
        for ln in sc.network.lanes
        if f"via:{ln.via}" in hot or (ln.carrier and ln.carrier in hot)
    }


# -- HTML pieces ----------------------------------------------------------------------------


def _kpi_table(summary: pd.DataFrame, order: Sequence[str], names: Sequence[str]) -> str:
    head = "".join(
        f"<th>{esc(ct.label(k))}<br><code class='note'>{esc(k)}</code></th>" for k in names
    )
    rows = [f"<tr><th>strategy</th>{head}</tr>"]
    best = {}
    for k in names:
        s = summary[summary["kpi"] == k].dropna(subset=["mean"])
        if len(s) and s["mean"].nunique() > 1:
            pick = s["mean"].idxmax() if k in HIGHER_IS_BETTER else s["mean"].idxmin()
            best[k] = s.loc[pick, "strategy"]
    for st in order:
        cells = []
        for k in names:
            r = summary[(summary["strategy"] == st) & (summary["kpi"] == k)]
            if r.empty:
                cells.append("<td></td>")
                continue
            r = r.iloc[0]
            unit = str(r["unit"])
            ci = f"<br><span class='note'>{esc(ci_text(r))}</span>" if ci_text(r) else ""
            v = esc(fmt(r["mean"], unit))
            cells.append(f"<td>{'<b>' + v + '</b>' if best.get(k) == st else v}{ci}</td>")
        rows.append(f"<tr><td>{esc(st)}</td>{''.join(cells)}</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _paired_table(diffs: pd.DataFrame, names: Sequence[str]) -> str:
    rows = [
        "<tr><th>strategy</th><th class='l'>KPI</th><th>difference</th><th>95% CI</th>"
        "<th>better in</th><th class='l'>verdict</th></tr>"
    ]
    for r in diffs[diffs["kpi"].isin(names)].itertuples():
        unit = KPI_UNITS.get(r.kpi, "")
        sig = ct.significant(r.diff_ci_low, r.diff_ci_high)
        good = (r.diff_mean > 0) == bool(r.higher_is_better)
        verdict = "not significant" if not sig else "better" if good else "worse"
        ci = (
            f"{ct.amount(r.diff_ci_low, unit, True)} to {ct.amount(r.diff_ci_high, unit, True)}"
            if math.isfinite(r.diff_ci_low)
            else "n/a"
        )
        share = f"{100 * r.share_better:.0f}%" if math.isfinite(r.share_better) else "n/a"
        rows.append(
            f"<tr><td>{esc(r.strategy)}</td><td class='l'><code>{esc(r.kpi)}</code>"
            f"</td><td>{esc(ct.amount(r.diff_mean, unit, True))}</td>"
            f"<td>{esc(ci)}</td><td>{share}</td><td class='l'>{verdict}</td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def _plans_table(arms: Sequence[Arm]) -> str:
    base = plan_lanes(arms[0].plan)
    rows = [
        "<tr><th>strategy</th><th>warehouses</th><th class='l'>lanes used, by mode</th>"
        f"<th class='l'>lanes not used by {esc(arms[0].name)}</th></tr>"
    ]
    for a in arms:
        used = plan_lanes(a.plan)
        modes = pd.Series([a.sc.network.lane_by_id[lid].mode.value for lid in used])
        by = ", ".join(f"{v} {k}" for k, v in modes.value_counts().sort_index().items())
        extra = sorted(used - base)
        rows.append(
            f"<tr><td>{esc(a.name)}</td><td>{len(a.plan.warehouses)}</td>"
            f"<td class='l'>{esc(by)}</td><td class='l'>"
            f"{esc(', '.join(extra[:12]) + (' ...' if len(extra) > 12 else ''))}"
            "</td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def _facts(arms: Sequence[Arm], baseline: str, kpis: pd.DataFrame, note: str) -> str:
    sc = arms[0].sc
    ex = sc.experiment
    n = kpis.groupby("strategy")["replication"].nunique()
    reps = str(n.max()) if n.nunique() == 1 else ", ".join(f"{k}: {v}" for k, v in n.items())
    facts = [
        ("scenario", sc.name),
        (
            "network",
            f"{sc.network.name}: {len(sc.network.nodes)} nodes, {len(sc.network.lanes)} lanes",
        ),
        ("strategies", ", ".join(a.name for a in arms)),
        ("baseline", baseline),
        ("disruptions", sc.disruptions.description or sc.disruptions.name),
        ("seed", str(sc.seed)),
        (
            "replications",
            f"{reps} per strategy, on common random numbers (the same "
            "demand, transit, customs and disruption draws)",
        ),
        ("horizon", f"{ex.horizon_days} measured days after a {ex.warmup_days}-day warm-up"),
    ]
    if note:
        facts.append(("precision", note))
    return (
        '<table class="facts">'
        + "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in facts)
        + "</table>"
    )


def _figures(
    arms: Sequence[Arm], baseline: str, t: Tables, names: Sequence[str], front: pd.DataFrame
) -> list[tuple[str, Figure, str]]:
    order = [a.name for a in arms]
    marks = disruption_marks(t.disruptions, baseline)
    reps = (
        t.market_daily.groupby("strategy")["replication"].nunique().max()
        if not t.market_daily.empty
        else 0
    )
    total = t.kpis.groupby("strategy")["replication"].nunique().max()
    sample = "" if reps >= total else f" Daily series of the first {reps} of {total} replications."
    sc = arms[0].sc
    return [
        (
            "kpi_by_strategy",
            cf.kpi_by_strategy(t.kpis, names, KPI_UNITS, order),
            "The headline KPIs across replications, by strategy: the spread behind the means.",
        ),
        (
            "frontier",
            cf.cost_service_frontier(front),
            "Total cost against fill rate, means with 95% intervals. A strategy is dominated when "
            "another has a lower (or equal) mean cost and a higher (or equal) mean fill rate; the "
            "Pareto-efficient ones are filled and joined.",
        ),
        (
            "paired_differences",
            cf.paired_forest(t.paired, names, KPI_UNITS),
            f"Each strategy minus {baseline} on the same replications (common random numbers): "
            "mean and 95% interval; an interval that crosses zero is not significant.",
        ),
        (
            "service_bands",
            cf.service_bands(t.market_daily, order, baseline, marks),
            "Daily service level over all markets: mean over replications and the band between "
            "their 5th and 95th percentiles; disruption windows shaded." + sample,
        ),
        (
            "network_map",
            network_map(sc, union_plan(arms), _hot(sc, t.disruptions)),
            "The network: solid thick lanes are used by at least one strategy's plan, dashed faint "
            "ones by none; disrupted elements in red. Which strategy uses which lanes: the table "
            "below.",
        ),
    ]


def write_compare_report(run_dir: Path, arms: Sequence[Arm], baseline: str, note: str = "") -> Path:
    """Write ``figures/*.png`` and ``report.html`` into the compare folder ``run_dir`` from its
    tables; return the report path. ``note``: the sequential-stopping outcome, if any."""
    run_dir = Path(run_dir)
    t = Tables.read(run_dir)
    names = main_kpis(t.kpis)
    order = [a.name for a in arms]
    front = frontier(t.summary, COST, SERVICE)
    others = [k for k in names if k not in (SERVICE, COST)]
    words = ct.against_baseline(t.paired, KPI_UNITS, SERVICE, COST, others)
    wins = ct.winners(t.kpis, t.summary, names, KPI_UNITS)
    fig_dir = run_dir / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    imgs = {}
    for name, fig, caption in _figures(arms, baseline, t, names, front):
        data = save_png(fig, fig_dir / f"{name}.png")
        imgs[name] = (
            f'<figure id="fig-{name}"><img alt="{esc(name)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{esc(caption)} '
            f"<code>figures/{esc(name)}.png</code></figcaption></figure>"
        )
    sc = arms[0].sc
    body = [
        f"<h1>Ripple compare: {esc(sc.name)}</h1>",
        f"<p class='sub'>{esc(', '.join(order))} against {esc(baseline)}; "
        f"{esc(sc.network.name)}</p>",
        "<div class='lead' id='summary'>"
        + "".join(f"<p>{esc(w)}</p>" for w in words)
        + f"<p>{esc(ct.frontier_words(front, SERVICE, COST))}</p></div>",
        "<p class='note'><a href='explore.html'>Explore the strategies day by day</a>: a "
        "slider moves the map and the timeline together, a selector switches strategy "
        "(explore.html, works offline).</p>",
        "<h2 id='winners'>Best on each KPI</h2><ul>"
        + "".join(f"<li>{esc(w)}</li>" for w in wins)
        + "</ul>",
        "<p class='note'>Significant: the 95% interval of the paired difference (same "
        "replications) excludes zero.</p>",
        "<h2>Run</h2>",
        _facts(arms, baseline, t.kpis, note),
        "<h2 id='kpis'>Key performance indicators by strategy</h2>",
        "<p class='note'>Mean over replications and its 95% confidence interval; the best mean "
        "in bold. All KPIs: summary.csv.</p>",
        _kpi_table(t.summary, order, names),
        imgs["kpi_by_strategy"],
        "<h2 id='frontier'>Cost against service</h2>",
        imgs["frontier"],
        f"<h2 id='paired'>Differences to {esc(baseline)}</h2>",
        imgs["paired_differences"],
        _paired_table(t.paired, names),
        "<h2 id='daily'>Daily service level</h2>",
        imgs["service_bands"],
        "<h2 id='network'>Network and plans</h2>",
        imgs["network_map"],
        _plans_table(arms),
        "<p class='note'>Tables: kpis.parquet (a row per strategy and replication), "
        "summary.csv/.parquet, paired.csv/.parquet, daily.parquet, waits.parquet, "
        "disruptions.parquet (each with a <code>strategy</code> column), network.graphml. "
        "KPI definitions: sim/analysis/kpis.py and sim/analysis/resilience.py.</p>",
    ]
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Ripple compare: {esc(sc.name)}</title><style>{CSS}</style></head>"
        "<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
    out = run_dir / "report.html"
    out.write_text(page, encoding="utf-8")
    log.info("compare report written to %s", out)
    return out
