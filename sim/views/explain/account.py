"""The whole account of ``ripple explain``: the sections (windows, stock, markets, queues,
outcome) put together for each strategy of a run or compare folder."""

from __future__ import annotations

from pathlib import Path

from ...analysis import resilience
from ...analysis.columns import KPI_UNITS
from ...core.errors import ConfigError
from ...run.read import RunTables, read_tables
from .group import Group, node_names, select, served_by
from .markets import market_service
from .outcome import closing, resilience_lines, service_and_cost
from .queues import grown_queues, target_waits
from .stock import Short, stock_after
from .windows import anchors, measured_windows, outside_lines, window_lines
from .words import Calendar

MAX_ANCHORS = 3  # disruption starts told in detail


def explain_group(t: RunTables, g: Group, replication: int | None) -> str:
    """The plain-words account of one strategy (or run) of a folder."""
    c = t.config
    ex = c.get("experiment", {})
    horizon, cal = int(ex.get("horizon_days", 0)), Calendar(int(ex.get("start_day_of_year", 1)))
    names = node_names(c)
    scen = c.get("disruption", {}).get("description", "")
    head = [
        f"Run {t.path.name}: scenario {c.get('scenario', '?')}"
        + (f" ({scen})" if scen and scen != "no disruptions" else "")
        + f", strategy {g.name}, policy {c.get('policy', {}).get('name', '?')}.",
        (
            f"Replication {replication}"
            if replication is not None
            else f"{g.n} replication{'s' * (g.n != 1)}"
        )
        + f" of {horizon} measured days from {cal.date(0)}, after a "
        f"{ex.get('warmup_days', '?')}-day warm-up (seed {c.get('seed', '?')}).",
    ]
    windows = measured_windows(g, horizon)
    outside = outside_lines(g, horizon, cal)
    if windows.empty:
        body = [
            "",
            "There were no disruptions in the measured window of this run: the network "
            "ran as designed.",
        ] + (["Scheduled, but outside it:", *outside] if outside else [])
        body += [
            "",
            *service_and_cost(g),
            "",
            "In short: without disruptions, service and cost above are the network's "
            "normal performance, the yardstick a disrupted run is measured against.",
        ]
        return "\n".join(head + body)
    served = served_by(t, g.name)
    body = ["", "What happened:", *window_lines(windows, names, cal, g.n)]
    body += outside
    body += [
        "",
        "Definitions: a warehouse runs short on the first day, from the disruption's "
        "start, whose daily snapshot has units on backorder (daily.parquet backlog > 0); a "
        "market has recovered by the rule of time_to_recover: its 7-day service level back "
        f"within {100 * resilience.BAND:.0f} points of the undisrupted one for "
        f"{resilience.SETTLE_DAYS} days in a row.",
    ]
    stock_first: list[Short] = []
    starts = anchors(windows)
    for w in starts[:MAX_ANCHORS]:
        stock = stock_after(g, w, cal)
        stock_first = stock_first or stock
        body += [
            "",
            f"After {w.title} began on {cal.on(w.start)}:",
            "  Stock at the warehouses:",
            *(x.text() for x in stock),
            "  Service at the markets:",
            *market_service(g, w, served, cal),
        ]
        queues = grown_queues(g, w, horizon, cal)
        body += (
            ["  Queues that grew:", *queues] if queues else ["  No gateway queue grew markedly."]
        )
    if len(starts) > MAX_ANCHORS:
        body.append(
            f"({len(starts) - MAX_ANCHORS} more disruption starts: see disruptions.parquet.)"
        )
    waits = target_waits(g, list(dict.fromkeys(windows["target"])))
    if waits:
        body += ["", "Waits at the disrupted places (waits.parquet):", *waits]
    body += [
        "",
        *resilience_lines(g),
        "",
        *service_and_cost(g),
        "",
        closing(g, windows, cal, stock_first),
    ]
    return "\n".join(head + body)


def explain(path: Path | str, replication: int | None = None, strategy: str | None = None) -> str:
    """The plain-words account of a run or compare folder (all strategies unless one is
    given); ConfigError for a folder, replication or strategy that is not there."""
    t = read_tables(path)
    names = t.strategies
    if strategy is not None and strategy not in names:
        raise ConfigError("--strategy", strategy, "one of " + ", ".join(names))
    reps = sorted(int(r) for r in t.kpis["replication"].unique())
    if replication is not None and replication not in reps:
        raise ConfigError(
            "--replication", replication, f"a replication of the folder ({reps[0]} to {reps[-1]})"
        )
    compare = "strategy" in t.kpis
    texts = []
    for name in [strategy] if strategy else names:
        s = name if compare else None
        g = Group(
            name,
            select(t.kpis, s, replication),
            select(t.daily, s, replication),
            select(t.disruptions, s, replication),
            select(t.waits, s, replication),
        )
        texts.append(explain_group(t, g, replication))
    if compare and t.paired is not None and strategy is None and replication is None:
        from ..text import format_paired

        texts.append(
            "Paired differences to the baseline (same replications, common random "
            "numbers; paired.csv):\n" + format_paired(t.paired, KPI_UNITS)
        )
    return ("\n\n" + "=" * 78 + "\n\n").join(texts)
