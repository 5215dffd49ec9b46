"""``ripple explain``: what happened in a run folder, in plain words for a class.

It reads only the folder's tables (``config.yaml``, ``kpis.parquet``, ``daily.parquet``,
``disruptions.parquet``, ``waits.parquet``) and says: the scenario and strategy; each
disruption (what, where, from which measured day and calendar date, for how long); per
warehouse when stock first ran short after it; per market the worst daily service level and
how long until service recovered; which gateway queues grew; and what it cost, with 95%
intervals across replications.

Definitions (also printed with the text):

- a warehouse *runs short* on the first measured day, from the day the disruption starts, on
  whose daily snapshot it has units on backorder (``daily.parquet`` ``backlog`` > 0);
- a market's *recovery* is the rule of the ``time_to_recover`` KPI
  (:func:`sim.resilience.recovery_day`) applied to that market's service level against its
  undisrupted level (``baseline_service_level``);
- costs and the headline resilience figures are the KPIs of ``kpis.parquet``
  (``sim/analysis/resilience.py``), against the same replications run without their disruptions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis import resilience
from ..analysis.columns import KPI_UNITS
from ..analysis.stats import summarize
from ..core.errors import ConfigError
from ..run.read import RunTables, read_tables

QUEUE_BEFORE_DAYS = 28  # the "usual" gateway queue: mean over this many days before
QUEUE_AFTER_DAYS = 30  # a queue's peak is looked for until this many days after the end
TOP_QUEUES = 3
MAX_ANCHORS = 3  # disruption starts told in detail
MAX_LISTED = 8  # disruption windows listed one by one
QUEUE_RISE = 5  # shipments: a queue "grew" when its peak exceeds its usual level by this

KIND_WORDS = {
    "port_strike": "strike", "port_congestion": "port congestion",
    "customs_hold": "customs hold", "route_suspension": "route suspension",
    "carrier_failure": "carrier failure", "factory_outage": "factory outage",
    "demand_surge": "demand surge", "freight_cost_shock": "freight cost shock",
}


# -- numbers for people ----------------------------------------------------------------------


def _usd(x: float) -> str:
    return f"{x:,.0f} USD"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.1f}"


def _day(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def stat(values: Sequence[float] | np.ndarray, show: Callable[[float], str],
         unit: str = "", bounded: bool = False) -> str:
    """Mean of the finite values with its Student-t 95% interval (one value: just it)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return "n/a"
    u = f" {unit}" if unit else ""
    if x.size == 1 or np.all(x == x[0]):
        return f"{show(float(x[0]))}{u}"
    s = summarize(pd.DataFrame({"v": x}), ["v"], {}).iloc[0]
    lo, hi = float(s["ci_low"]), float(s["ci_high"])
    if bounded:
        lo, hi = max(lo, 0.0), min(hi, 1.0)
    return f"{show(float(s['mean']))}{u} (95% CI {show(lo)} to {show(hi)})"


class Calendar:
    """Measured day -> calendar date (day 0 is ``experiment.start_day_of_year``; 365-day
    years, as the demand seasonality)."""

    def __init__(self, start_day_of_year: int) -> None:
        self.first = int(start_day_of_year) - 1

    def date(self, day: float) -> str:
        offset = self.first + int(math.floor(day))
        d = dt.date(2025, 1, 1) + dt.timedelta(days=offset % 365)  # 2025: not a leap year
        year = offset // 365
        which = ("" if year == 0 else " of the year before" if year < 0
                 else f" of year {year + 1}")
        return f"{d.day} {d:%B}{which}"

    def on(self, day: float) -> str:
        return f"day {_day(day)} ({self.date(day)})"


# -- the parts of the story ------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """The tables of one strategy (or the whole run), optionally one replication."""

    name: str
    kpis: pd.DataFrame
    daily: pd.DataFrame
    disruptions: pd.DataFrame
    waits: pd.DataFrame

    @property
    def n(self) -> int:
        return len(self.kpis)


def _select(df: pd.DataFrame, strategy: str | None, replication: int | None) -> pd.DataFrame:
    if strategy is not None and "strategy" in df:
        df = df[df["strategy"] == strategy]
    if replication is not None and "replication" in df:
        df = df[df["replication"] == replication]
    return df


def _names(config: dict) -> dict[str, str]:
    nodes = config.get("network", {}).get("nodes", {}) or {}
    return {k: str(v.get("name", k)) for k, v in nodes.items() if isinstance(v, dict)}


def _served_by(t: RunTables, strategy: str) -> dict[str, str]:
    """Market -> the node serving it in the fulfilment plan, when the folder's config is of
    ``strategy`` and still validates (else empty: the text then names markets only)."""
    if str(t.config.get("strategy", {}).get("name")) != strategy:
        return {}
    from ..plan import make_plan
    from ..run.read import read_scenario

    try:
        plan = make_plan(read_scenario(t.path / "config.yaml"))
    except (ConfigError, KeyError, TypeError, ValueError, AttributeError):
        # an older or foreign config: the mapping is a nicety, not a need
        return {}
    return {m: w for m, w, _ in plan.market_warehouse}


def _windows(g: Group, horizon: int) -> pd.DataFrame:
    """Disruption windows that overlap the measured days, with the replications they hit."""
    d = g.disruptions
    if d.empty:
        return d.assign(reps=[])
    d = d[(d["end"] > 0) & (d["start"] < horizon)]
    keys = ["kind", "target", "start", "end", "label"]
    return (d.groupby(keys, sort=False)["replication"].agg(lambda r: sorted(set(r)))
            .rename("reps").reset_index().sort_values("start", kind="stable"))


def _reps_phrase(reps: list[int], n: int) -> str:
    if len(reps) == n:
        return "in every replication" if n > 1 else ""
    return (f"in {len(reps)} of {n} replications (replication{'s' * (len(reps) > 1)} "
            f"{', '.join(map(str, reps[:6]))}" + (", ...)" if len(reps) > 6 else ")"))


def _describe_window(w: pd.Series, names: dict[str, str], cal: Calendar, n: int) -> str:
    what = KIND_WORDS.get(w["kind"], str(w["kind"]).replace("_", " "))
    target = str(w["target"])
    where = f"{target} ({names[target]})" if target in names else target
    length = float(w["end"] - w["start"])
    reps = _reps_phrase(w["reps"], n)
    return (f"- {w['label'] or what}: a {what} ({w['kind']}) at {where}, from measured "
            f"{cal.on(w['start'])} to {cal.on(w['end'])}, {_day(length)} days"
            + (f", {reps}" if reps else "") + ".")


def _outside(g: Group, horizon: int, cal: Calendar) -> list[str]:
    d = g.disruptions
    if d.empty:
        return []
    out = d[(d["end"] <= 0) | (d["start"] >= horizon)].drop_duplicates(
        ["kind", "target", "start", "end"])
    return [f"- {r.label or r.kind} at {r.target}, from measured {cal.on(r.start)}, fell "
            + ("in the warm-up" if r.end <= 0 else f"after the {horizon} measured days")
            + ": it did not touch the measured results." for r in out.itertuples()]


def _title(w: pd.Series) -> str:
    return f'"{w["label"]}"' if w["label"] else KIND_WORDS.get(w["kind"], str(w["kind"]))


@dataclass(frozen=True)
class Anchor:
    """Disruption windows that start together: the moment the story is told from."""

    start: float
    end: float  # the last of their ends
    reps: list[int]  # replications they hit
    title: str  # their names in words


def _anchors(windows: pd.DataFrame) -> list[Anchor]:
    out = []
    for start, grp in windows.groupby("start", sort=True):
        titles = [_title(w) for _, w in grp.iterrows()]
        title = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
        reps = sorted({r for rs in grp["reps"] for r in rs})
        out.append(Anchor(float(start), float(grp["end"].max()), reps, title))
    return out


@dataclass(frozen=True)
class Short:
    """When one warehouse first ran short after a disruption, over the replications it hit."""

    node: str
    days: list[float]  # first short day per replication that ran short
    start: float  # the disruption's start
    replications: int  # replications the disruption hit
    already: int  # replications already short on the day it began
    when: str  # the first short day in words

    def text(self) -> str:
        if not self.days:
            return f"  - {self.node} never had orders on backorder after it began."
        delay = stat([x - self.start for x in self.days], _day, "days")
        share = _share(len(self.days), self.replications)
        return (f"  - {self.node} first had orders on backorder on {self.when}, {delay} after "
                f"it began{share}"
                + (f" (already on the day it began in {self.already})" if self.already else "")
                + ".")


def _stock(g: Group, w: Anchor, cal: Calendar) -> list[Short]:
    """Per warehouse: first day with units on backorder from the disruption's start."""
    start = w.start
    first = max(int(math.floor(start)), 0)
    wh = g.daily[(g.daily["kind"] == "warehouse") & g.daily["replication"].isin(w.reps)]
    out = []
    for node, grp in wh.groupby("node", sort=True):
        days, already = [], 0
        for _, r in grp.groupby("replication"):
            after = r[r["day"] >= first].sort_values("day")
            short = after[after["backlog"] > 0]
            if not short.empty:
                days.append(float(short["day"].iloc[0]))
                already += int(short["day"].iloc[0] == first)
        out.append(Short(str(node), days, start, len(w.reps), already,
                         _when(days, cal) if days else ""))
    return out


def _share(k: int, n: int) -> str:
    """" in k of n replications", or nothing for a single replication."""
    if n == 1:
        return ""
    return " in every replication" if k == n else f" in {k} of {n} replications"


def _when(days: list[float], cal: Calendar) -> str:
    """The day something happened: the date when every replication agrees, else the mean day
    and the range across replications."""
    if len(set(days)) == 1:
        return cal.on(days[0])
    return (f"day {_day(round(float(np.mean(days)), 1))} on average (days {_day(min(days))} to "
            f"{_day(max(days))})")


def _market_service(g: Group, w: Anchor, served: dict[str, str], cal: Calendar
                    ) -> list[str]:
    """Per market: the worst daily service level from the start, and the recovery time."""
    start = w.start
    first = max(int(math.floor(start)), 0)
    mk = g.daily[(g.daily["kind"] == "market") & g.daily["replication"].isin(w.reps)]
    band, m = resilience.BAND, resilience.SMOOTH_DAYS
    lines = []
    for node, grp in mk.groupby("node", sort=True):
        worst, worst_day, base_at, rec, never_left, not_back = [], [], [], [], 0, 0
        for _, r in grp.groupby("replication"):
            r = r.sort_values("day")
            demand = r["demand"].to_numpy(float)
            shipped = r["shipped"].to_numpy(float)
            base = r["baseline_service_level"].fillna(0).to_numpy(float) * demand
            sl, sb = (resilience.service_level(shipped, demand),
                      resilience.service_level(base, demand))
            i = first + int(np.argmin(sl[first:]))
            worst.append(sl[i])
            worst_day.append(float(r["day"].iloc[i]))
            base_at.append(sb[i])
            low = (resilience.service_level(shipped, demand, m)
                   < resilience.service_level(base, demand, m) - band)
            day = resilience.recovery_day(low, first)
            if day == first:
                never_left += 1
            elif day is None:
                not_back += 1
            else:
                rec.append(day - start)
        n = grp["replication"].nunique()
        who = f"{node} (served by {served[node]})" if node in served else node
        parts = [f"  - {who}: worst daily service {stat(worst, _pct, bounded=True)} on "
                 f"{_when(worst_day, cal)}, against {stat(base_at, _pct, bounded=True)} that day "
                 "without the disruption"]
        if rec:
            parts.append(f"back within {100 * band:.0f} points of the undisrupted level "
                         f"{stat(rec, _day, 'days')} after it began{_share(len(rec), n)}")
        if never_left:
            parts.append(f"never more than {100 * band:.0f} points below the undisrupted level"
                         f"{_share(never_left, n)}")
        if not_back:
            parts.append(f"not back before the horizon ended{_share(not_back, n)}")
        lines.append("; ".join(parts) + ".")
    return lines


def _queues(g: Group, w: Anchor, horizon: int, cal: Calendar) -> list[str]:
    """Gateway queues whose peak after the start is well above their usual level."""
    start, end = w.start, w.end
    first = max(int(math.floor(start)), 0)
    last = min(int(math.ceil(end)) + QUEUE_AFTER_DAYS, horizon)
    q = g.daily[g.daily["queue"].notna() & g.daily["replication"].isin(w.reps)]
    rows = []
    for node, grp in q.groupby("node", sort=True):
        usual, peak, peak_day = [], [], []
        for _, r in grp.groupby("replication"):
            r = r.set_index("day")["queue"].sort_index()
            before = r.loc[max(first - QUEUE_BEFORE_DAYS, 0):first - 1]
            usual.append(float(before.mean()) if not before.empty else 0.0)
            window = r.loc[first:last]
            peak.append(float(window.max()))
            peak_day.append(float(window.idxmax()))
        rise = float(np.mean(peak)) - float(np.mean(usual))
        if rise >= max(QUEUE_RISE, float(np.mean(usual))):
            rows.append((rise, node, usual, peak, peak_day))
    rows.sort(reverse=True)
    out = []
    for _, node, usual, peak, peak_day in rows[:TOP_QUEUES]:
        day = _when(peak_day, cal)
        out.append(f"  - {node}: from {stat(usual, _num)} shipments waiting or in service on "
                   f"average in the {QUEUE_BEFORE_DAYS} days before to a peak of "
                   f"{stat(peak, _num)} on {day}.")
    return out


def _target_waits(g: Group, targets: list[str]) -> list[str]:
    w = g.waits
    if w.empty or "where" not in w:
        return []
    out = []
    for t in targets:
        rows = w[w["where"] == t]
        for cause, grp in rows.groupby("cause", sort=False):
            out.append(f"  - at {t}, {cause.replace('_', ' ')}: {stat(grp['mean_days'], _day_2)}"
                       " days per shipment on average over the whole run.")
    return out


def _day_2(x: float) -> str:
    return f"{x:.2f}"


def _kpi(g: Group, name: str) -> pd.Series:
    return summarize(g.kpis, [name], KPI_UNITS).iloc[0]


def _kpi_text(g: Group, name: str, show: Callable[[float], str], unit: str = "") -> str:
    return stat(g.kpis[name], show, unit, bounded=KPI_UNITS.get(name, "").startswith("share"))


def _service_and_cost(g: Group) -> list[str]:
    return [f"Service: {_kpi_text(g, 'fill_rate', _pct)} of units were shipped from stock on "
            f"the day ordered (fill_rate); {_kpi_text(g, 'otif', _pct)} of order lines arrived "
            f"on time and in full (otif); customers waited "
            f"{_kpi_text(g, 'lead_time_mean', _day_2, 'days')} on average (lead_time_mean).",
            f"Cost: total {_kpi_text(g, 'total_cost', _usd)} (total_cost), of which air "
            f"expedites {_kpi_text(g, 'cost_expedite', _usd)} (cost_expedite)."]


def _resilience(g: Group) -> list[str]:
    k = g.kpis
    n = g.n
    caused = int(k["stockout_caused"].sum())
    rec = int(k["recovered"].sum())
    lines = ["Against the same replications run without the disruption (same random numbers; "
             "sim/analysis/resilience.py):"]
    if caused:
        lines.append(f"  - the first stock-out it caused (more SKU-locations short than without "
                     f"it) came {_kpi_text(g, 'time_to_survive', _day_2, 'days')} after it "
                     f"began{_share(caused, n)} (time_to_survive);")
    else:
        lines.append("  - it caused no stock-out beyond those of the undisrupted run "
                     "(stockout_caused 0);")
    pts = f"{100 * resilience.BAND:.0f} points"
    band = f"{pts} of the undisrupted level"
    if rec and float(k["time_to_recover"].max()) == 0:
        lines.append(f"  - service (7-day average, all markets) never fell more than {pts} "
                     "below the undisrupted level (time_to_recover 0);")
    elif rec:
        lines.append(f"  - service (7-day average, all markets) was back within {band} "
                     f"{_kpi_text(g, 'time_to_recover', _day_2, 'days')} after it began "
                     f"(time_to_recover), recovering before the horizon ended"
                     f"{_share(rec, n)};")
    else:
        lines.append(f"  - service (7-day average, all markets) was not back within {band} "
                     "before the horizon ended (recovered 0, time_to_recover n/a);")
    lines.append(f"  - service lost: {_kpi_text(g, 'performance_loss', _day_2)} "
                 "service-level-days (performance_loss; 1 = one whole day without any service);")
    peak = float(_kpi(g, "extra_peak_backlog")["mean"])
    change = ("more" if peak > 0 else "fewer") + " units on backorder at the worst moment"
    lines.append(f"  - peak backlog: {_kpi_text(g, 'extra_peak_backlog', _num, 'units')} "
                 f"(extra_peak_backlog; "
                 f"{change + ' than' if peak else 'the same peak as'} without it);")
    extra = _kpi(g, "extra_cost")
    lines.append(f"  - cost: extra_cost {_signed_usd(float(extra['mean']))} per replication"
                 + (f" (95% CI {_signed_usd(extra['ci_low'])} to {_signed_usd(extra['ci_high'])})"
                    if extra["n"] > 1 else "")
                 + f": it cost {'more' if extra['mean'] >= 0 else 'less'} than the same "
                 "replications without it.")
    return lines


def _signed_usd(x: float) -> str:
    return f"{x:+,.0f} USD"


def _closing(g: Group, windows: pd.DataFrame, cal: Calendar, stock: list[Short]) -> str:
    w = windows.iloc[0]
    what = KIND_WORDS.get(w["kind"], str(w["kind"]))
    parts = [f"In short: {_title(w)}, a {what} at {w['target']}, lasted "
             f"{_day(float(w['end'] - w['start']))} days from {cal.date(w['start'])}"]
    short = [x for x in stock if x.days]
    if short:
        first = min(short, key=lambda x: float(np.mean(x.days)))
        lag = float(np.mean(first.days)) - first.start
        parts.append(f"{first.node} was the first warehouse to run short, "
                     + (f"about {lag:.0f} days after it began" if lag >= 0.5
                        else "on the day it began"))
    else:
        parts.append("no warehouse ran short afterwards")
    ttr = _kpi(g, "time_to_recover")
    if not math.isfinite(ttr["mean"]):
        parts.append("service had not recovered by the end")
    elif ttr["mean"] == 0:
        parts.append(f"service never fell more than {100 * resilience.BAND:.0f} points below "
                     "its undisrupted level")
    else:
        parts.append(f"service was back to normal about {float(ttr['mean']):.0f} days after it "
                     "began")
    extra = float(_kpi(g, "extra_cost")["mean"])
    more = len(windows) - 1
    return ("; ".join(parts) + f"; and it cost {abs(extra):,.0f} USD "
            f"{'more' if extra >= 0 else 'less'} per replication than the same run without it"
            + (f" ({more} more disruption window{'s' * (more != 1)} in all)" if more else "")
            + ".")


def explain_group(t: RunTables, g: Group, replication: int | None) -> str:
    """The plain-words account of one strategy (or run) of a folder."""
    c = t.config
    ex = c.get("experiment", {})
    horizon, cal = int(ex.get("horizon_days", 0)), Calendar(int(ex.get("start_day_of_year", 1)))
    names = _names(c)
    scen = c.get("disruption", {}).get("description", "")
    head = [f"Run {t.path.name}: scenario {c.get('scenario', '?')}"
            + (f" ({scen})" if scen and scen != "no disruptions" else "")
            + f", strategy {g.name}, policy {c.get('policy', {}).get('name', '?')}.",
            (f"Replication {replication}" if replication is not None else
             f"{g.n} replication{'s' * (g.n != 1)}")
            + f" of {horizon} measured days from {cal.date(0)}, after a "
            f"{ex.get('warmup_days', '?')}-day warm-up (seed {c.get('seed', '?')})."]
    windows = _windows(g, horizon)
    outside = _outside(g, horizon, cal)
    if windows.empty:
        body = ["", "There were no disruptions in the measured window of this run: the network "
                "ran as designed."] + (["Scheduled, but outside it:", *outside] if outside else [])
        body += ["", *_service_and_cost(g), "",
                 "In short: without disruptions, service and cost above are the network's "
                 "normal performance, the yardstick a disrupted run is measured against."]
        return "\n".join(head + body)
    served = _served_by(t, g.name)
    body = ["", "What happened:", *(_describe_window(w, names, cal, g.n)
                                    for _, w in windows.head(MAX_LISTED).iterrows())]
    if len(windows) > MAX_LISTED:
        rest = windows.iloc[MAX_LISTED:]
        mean_len = round(float((rest["end"] - rest["start"]).mean()), 1)
        body.append(f"- and {len(rest)} more windows ({_day(mean_len)} days long on average; "
                    "all in disruptions.parquet).")
    body += outside
    body += ["", "Definitions: a warehouse runs short on the first day, from the disruption's "
             "start, whose daily snapshot has units on backorder (daily.parquet backlog > 0); a "
             "market has recovered by the rule of time_to_recover: its 7-day service level back "
             f"within {100 * resilience.BAND:.0f} points of the undisrupted one for "
             f"{resilience.SETTLE_DAYS} days in a row."]
    stock_first: list[Short] = []
    anchors = _anchors(windows)
    for w in anchors[:MAX_ANCHORS]:
        stock = _stock(g, w, cal)
        stock_first = stock_first or stock
        body += ["", f"After {w.title} began on {cal.on(w.start)}:",
                 "  Stock at the warehouses:", *(x.text() for x in stock),
                 "  Service at the markets:", *_market_service(g, w, served, cal)]
        queues = _queues(g, w, horizon, cal)
        body += ["  Queues that grew:", *queues] if queues else [
            "  No gateway queue grew markedly."]
    if len(anchors) > MAX_ANCHORS:
        body.append(f"({len(anchors) - MAX_ANCHORS} more disruption starts: see "
                    "disruptions.parquet.)")
    waits = _target_waits(g, list(dict.fromkeys(windows["target"])))
    if waits:
        body += ["", "Waits at the disrupted places (waits.parquet):", *waits]
    body += ["", *_resilience(g), "",
             *_service_and_cost(g), "", _closing(g, windows, cal, stock_first)]
    return "\n".join(head + body)


def explain(path: Path | str, replication: int | None = None,
            strategy: str | None = None) -> str:
    """The plain-words account of a run or compare folder (all strategies unless one is
    given); ConfigError for a folder, replication or strategy that is not there."""
    t = read_tables(path)
    names = t.strategies
    if strategy is not None and strategy not in names:
        raise ConfigError("--strategy", strategy, "one of " + ", ".join(names))
    reps = sorted(int(r) for r in t.kpis["replication"].unique())
    if replication is not None and replication not in reps:
        raise ConfigError("--replication", replication,
                          f"a replication of the folder ({reps[0]} to {reps[-1]})")
    compare = "strategy" in t.kpis
    texts = []
    for name in [strategy] if strategy else names:
        s = name if compare else None
        g = Group(name, _select(t.kpis, s, replication), _select(t.daily, s, replication),
                  _select(t.disruptions, s, replication), _select(t.waits, s, replication))
        texts.append(explain_group(t, g, replication))
    if compare and t.paired is not None and strategy is None and replication is None:
        from .text import format_paired

        texts.append("Paired differences to the baseline (same replications, common random "
                     "numbers; paired.csv):\n" + format_paired(t.paired, KPI_UNITS))
    return ("\n\n" + "=" * 78 + "\n\n").join(texts)
