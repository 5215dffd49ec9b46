"""Sequential stopping: add replications until every named KPI's 95% interval is narrow enough.

``--precision fill_rate=0.005,total_cost=2000`` asks for a 95% half-width under 0.005 for the
fill rate and under 2,000 USD for total cost (per strategy when strategies are compared).
Replication r always uses the same random streams, so the experiment grows by appending
replications: stopping at n gives exactly the numbers of a fixed run of n replications.

After each round the next size is the one the current standard deviations predict
(half-width ~ 1/sqrt(n)), at least ``step`` more and at most double, never past the cap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import pandas as pd

from ..analysis.stats import summarize
from ..core.errors import ConfigError

T = TypeVar("T")


def parse_targets(spec: str, known: Collection[str]) -> dict[str, float]:
    """``"fill_rate=0.005,total_cost=2000"`` -> ``{"fill_rate": 0.005, "total_cost": 2000.0}``;
    a :class:`ConfigError` for an unknown KPI, a malformed item or a non-positive target."""
    targets: dict[str, float] = {}
    for item in (s.strip() for s in spec.split(",")):
        if not item:
            continue
        name, sep, value = (p.strip() for p in item.partition("="))
        if not sep or not name:
            raise ConfigError("--precision", item, "KPI=HALF_WIDTH, e.g. fill_rate=0.005")
        if name not in known:
            raise ConfigError("--precision", item, "a KPI name, one of " + ", ".join(known))
        try:
            target = float(value)
        except ValueError:
            target = math.nan
        if not (math.isfinite(target) and target > 0):
            raise ConfigError("--precision", item, "a positive number as the half-width")
        if name in targets:
            raise ConfigError("--precision", item, "each KPI named once")
        targets[name] = target
    if not targets:
        raise ConfigError("--precision", spec, "KPI=HALF_WIDTH[,KPI=HALF_WIDTH...]")
    return targets


def check_cap(cap: int | None, n0: int, precision: bool) -> int:
    """The replication cap: ``cap`` or 10 x the configured replications; at least those."""
    if cap is None:
        return 10 * n0
    if not precision:
        raise ConfigError("--max-replications", cap, "to be used with --precision")
    if cap < n0:
        raise ConfigError(
            "--max-replications", cap, f"an integer >= experiment.replications ({n0})"
        )
    return cap


def status(
    kpis: pd.DataFrame,
    targets: Mapping[str, float],
    units: Mapping[str, str],
    by: str | None = None,
) -> pd.DataFrame:
    """Per KPI (and per ``by`` group): n, mean, 95% half-width, target and whether it is met
    (an undefined half-width, e.g. a KPI with no finite values, is not met). The half-width is
    Student-t's, whatever the KPI's bounds: it shrinks as 1/sqrt(n), which the next size
    predicted from it assumes."""
    groups = kpis.groupby(by, sort=False) if by else [(None, kpis)]
    unbounded = {k: "" for k in targets}  # no bounds: the t interval
    frames = []
    for key, group in groups:
        s = summarize(group, list(targets), unbounded)[["kpi", "n", "mean", "half_width"]]
        s.insert(1, "unit", s["kpi"].map(units).fillna(""))
        if by:
            s.insert(0, by, key)
        frames.append(s)
    out = pd.concat(frames, ignore_index=True)
    out["target"] = out["kpi"].map(targets)
    out["met"] = out["half_width"] < out["target"]  # NaN compares False
    return out


def next_size(st: pd.DataFrame, n: int, step: int, cap: int) -> int:
    """The next experiment size: what the largest half-width / target ratio predicts
    (n x ratio^2), at least ``n + step``, at most ``2 n`` and ``cap``."""
    ratio = (st["half_width"] / st["target"]).to_numpy(dtype=float)
    predicted = (
        2 * n if not all(math.isfinite(r) for r in ratio) else math.ceil(n * float(max(ratio)) ** 2)
    )
    return min(cap, max(n + step, min(predicted, 2 * n)))


@dataclass
class Outcome:
    """How a sequential experiment ended: its size, the cap, the last status table and the
    sizes it went through."""

    n: int
    cap: int
    met: bool
    status: pd.DataFrame
    sizes: list[int] = field(default_factory=list)

    def describe(self) -> str:
        """One line for people: replications needed and whether the targets were met."""
        by = "strategy" if "strategy" in self.status else None
        worst = self.status.assign(r=self.status["half_width"] / self.status["target"])
        worst = worst.sort_values("r", ascending=False, na_position="first").iloc[0]
        who = f" for {worst[by]}" if by else ""
        targets = ", ".join(
            f"{k} < {t:g}" for k, t in dict(zip(self.status["kpi"], self.status["target"])).items()
        )
        per = " per strategy" if by else ""
        if self.met:
            return (
                f"precision targets met ({targets}, 95% half-widths{per}) after "
                f"{self.n} replications{per} (rounds: {', '.join(map(str, self.sizes))})"
            )
        hw = (
            f"half-width {worst['half_width']:.4g}"
            if math.isfinite(worst["half_width"])
            else "has no interval (fewer than two finite values)"
        )
        return (
            f"precision targets NOT met after the cap of {self.cap} replications{per}: "
            f"{worst['kpi']} {hw}{who} against {worst['target']:g} "
            f"(rounds: {', '.join(map(str, self.sizes))})"
        )


@dataclass
class Sequential(Generic[T]):
    """Runs an experiment of growing size until the targets are met or the cap reached.

    ``run_to(n)`` runs (or finds already run) replications 0..n-1 and returns its result;
    ``kpis_of`` extracts the per-replication KPI table from it."""

    run_to: Callable[[int], T]
    kpis_of: Callable[[T], pd.DataFrame]
    targets: Mapping[str, float]
    units: Mapping[str, str]
    by: str | None = None

    def run(self, n0: int, cap: int) -> tuple[T, Outcome]:
        """Start at ``n0`` replications; grow until met or ``cap`` (no targets: ``n0`` only)."""
        if not self.targets:
            return self.run_to(n0), Outcome(n0, n0, True, pd.DataFrame(), [n0])
        n, sizes = n0, []
        step = max(1, n0 // 2)
        while True:
            result = self.run_to(n)
            sizes.append(n)
            st = status(self.kpis_of(result), self.targets, self.units, self.by)
            met = bool(st["met"].all())
            if met or n >= cap:
                return result, Outcome(n, cap, met, st, sizes)
            n = next_size(st, n, step, cap)
