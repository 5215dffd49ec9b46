"""Compare strategies: they run on common random numbers, each streaming its finished
replications to a hidden store (so an interrupted compare resumes where it stopped), optionally
grown by sequential stopping, then written to an atomic compare folder with its report."""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig

from ..analysis.columns import KPI_UNITS, kpis_shown
from ..analysis.compare import paired, per_strategy
from ..core.errors import ConfigError
from ..plan.graph import export_graphml
from ..run.experiment import ExperimentResult, run_experiment
from ..run.folder import RunFolder, resolved_yaml
from ..run.precision import Outcome, Sequential, check_cap
from ..run.store import TABLES, PartStore, run_key, write_tagged
from ..views.compare_report import Arm, write_compare_report
from ..views.explore import write_explore
from .progress import Interrupted, Progress
from .results import Loaded, RunResult
from .running import Targets, check_cap_memory, check_out_dir, commit_folder, targets_of
from .scenario import load, pick_backend
from .strategies import supported

log = logging.getLogger(__name__)


PLANNERS = ("static", "reacting")  # the options of policy.planner


@dataclass(frozen=True)
class Request:
    """What ``ripple compare`` was asked to do: arms that differ only in ``key`` (the strategy,
    or with ``--planners`` the planner ``policy.planner``)."""

    strategies: list[str]  # the arms' names
    baseline: str
    overrides: list[str]
    backend: str
    key: str = "strategy"

    def setting(self, name: str) -> str:
        """The override that makes arm ``name`` (``reacting_planner``: the reacting planner)."""
        return f"{self.key}={name.removesuffix('_planner')}"

    @property
    def flag(self) -> str:
        return "--planners" if self.key == "policy.planner" else "--strategies"


def _arms(
    given: list[str],
    baseline: str | None,
    overrides: Sequence[str],
    flag: str,
    key: str,
    what: str,
    choices: Sequence[str] = (),
    suffix: str = "",
) -> tuple[list[str], str]:
    """The arms named by ``flag`` (each ``NAME + suffix``; ``choices``: the names allowed)
    and the baseline, or a :class:`ConfigError`; an override of ``key``, which the arms set,
    is refused."""
    names = [s.strip() for s in given if s.strip()]
    if len(names) < 2 or len(set(names)) != len(names) or not set(names) <= set(choices or names):
        raise ConfigError(flag, ",".join(given), what)
    if any(o.split("=")[0].lstrip("+~") == key for o in overrides):
        raise ConfigError(key, "override", f"{flag.lstrip('-')} chosen with {flag}")
    arms = [f"{n}{suffix}" for n in names]
    base = baseline or arms[0]
    if base not in arms:
        raise ConfigError("--baseline", base, f"one of {flag}: " + ", ".join(arms))
    return arms, base


def check_strategies(
    strategies: list[str], baseline: str | None, overrides: Sequence[str]
) -> tuple[list[str], str]:
    """The strategy names and the baseline, or a :class:`ConfigError`."""
    what = "two or more different strategies"
    return _arms(strategies, baseline, overrides, "--strategies", "strategy", what)


def check_planners(
    planners: list[str], baseline: str | None, overrides: Sequence[str]
) -> tuple[list[str], str]:
    """The arms of ``--planners`` (``static_planner``, ``reacting_planner``) and the baseline,
    or a :class:`ConfigError`."""
    what = "static,reacting (both, any order)"
    key = "policy.planner"
    return _arms(planners, baseline, overrides, "--planners", key, what, PLANNERS, "_planner")


@dataclass
class Compare:
    """A prepared compare: the arms, their configs and their stores."""

    req: Request
    arms: list[Arm]
    cfgs: list[DictConfig]
    root: Path
    stores: dict[str, PartStore]

    @classmethod
    def prepare(cls, req: Request, loaded: dict[str, Loaded] | None = None) -> "Compare":
        """Compose and validate every strategy's config (a bad one raises before anything is
        written; ``loaded``: those already loaded); the stores' folder is keyed by all
        resolved configs."""
        loaded = loaded or {}
        from omegaconf import OmegaConf

        arms, cfgs, texts = [], [], []
        for name in req.strategies:
            ld = loaded.get(name) or load([*req.overrides, req.setting(name)])
            arms.append(Arm(name, ld.scenario, ld.plan))
            cfgs.append(ld.config)
            texts.append(f"{name}\n{OmegaConf.to_yaml(ld.config, resolve=True)}")
        key = run_key("\0".join(texts), req.backend)
        root = Path(str(cfgs[0].out_dir)) / f".partial-compare-{arms[0].sc.name}-{key}"
        return cls(req, arms, cfgs, root, {})

    def open(self) -> None:
        """Create (or find) a store per strategy, locked for this process."""
        try:
            for a in self.arms:
                self.stores[a.name] = PartStore.open(self.root / a.name)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop writing, keeping what is finished (stores holding nothing are removed)."""
        for s in self.stores.values():
            s.close()
        with contextlib.suppress(OSError):
            self.root.rmdir()  # if every store was empty

    def remove(self) -> None:
        """Delete the stores (after they became a compare folder)."""
        for s in self.stores.values():
            s.remove()
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def out_dir(self) -> Path:
        return Path(str(self.cfgs[0].out_dir))

    def done(self, below: int | None = None) -> int:
        """Finished replications over all strategies (those below ``below`` only)."""
        return sum(
            len([r for r in s.done() if below is None or r < below]) for s in self.stores.values()
        )

    def run_to(self, n: int, progress: Callable[[int], None] | None) -> dict[str, ExperimentResult]:
        """Replications 0..n-1 of every strategy, computing only those not in the stores."""
        return {
            a.name: run_experiment(
                a.sc,
                a.plan,
                self.req.backend,
                progress=progress,
                replications=n,
                store=self.stores[a.name],
            )
            for a in self.arms
        }


def all_kpis(results: dict[str, ExperimentResult]) -> pd.DataFrame:
    """Every strategy's KPI rows, with a ``strategy`` column."""
    return pd.concat(
        [r.kpis.assign(strategy=name) for name, r in results.items()], ignore_index=True
    )


def write_folder(
    d: Path, cmp: Compare, kpis: pd.DataFrame, n: int, outcome: Outcome | None
) -> pd.DataFrame:
    """Write the compare folder's tables and report into ``d``; return the paired table."""
    cols = kpis_shown(kpis)
    summary = per_strategy(kpis, cols, KPI_UNITS)
    diffs = paired(kpis, cmp.req.baseline, cols)
    req = cmp.req
    values = ",".join(req.setting(name).partition("=")[2] for name in req.strategies)
    (d / "config.yaml").write_text(
        f"# ripple compare {req.flag} {values} --baseline {req.baseline}: "
        f"the resolved config of {req.strategies[0]};\n# the others differ only in "
        f"{req.key}.\n" + resolved_yaml(cmp.cfgs[0], n)
    )
    kpis.to_parquet(d / "kpis.parquet", index=False)
    reps = list(range(n))
    for table in TABLES:
        write_tagged(cmp.stores, "strategy", table, reps, d / f"{table}.parquet")
    for name, df in (("summary", summary), ("paired", diffs)):
        df.to_csv(d / f"{name}.csv", index=False)
        df.to_parquet(d / f"{name}.parquet", index=False)
    if outcome is not None:
        outcome.status.to_csv(d / "precision.csv", index=False)
    export_graphml(cmp.arms[0].sc.network, d / "network.graphml")
    write_compare_report(
        d, cmp.arms, cmp.req.baseline, outcome.describe() if outcome is not None else ""
    )
    write_explore(d, sc=cmp.arms[0].sc)
    return diffs


def compare(
    strategies: Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    baseline: str | None = None,
    *,
    backend: str | None = None,
    precision: Targets = None,
    max_replications: int | None = None,
    progress: Progress | None = None,
    planners: Sequence[str] | None = None,
) -> RunResult:
    """Run ``strategies`` (options of ``configs/strategy/``; default: every one the network
    supports, see :func:`.strategies.supported`) on common random numbers and write a compare
    folder; ``paired`` of the result holds each one's paired differences to the ``baseline``
    (default: the first named, or the config's own strategy). ``planners`` (instead of
    strategies): the config's strategy under the planners named (``static``, ``reacting``:
    ``policy.planner``), as arms ``static_planner`` and ``reacting_planner``. Interrupted, it
    keeps its finished replications and the same call resumes."""
    if isinstance(strategies, str):
        strategies = strategies.split(",")
    if isinstance(planners, str):
        planners = planners.split(",")
    progress = progress or Progress()
    loaded: dict[str, Loaded] = {}
    if planners and strategies:
        raise ConfigError("--planners", ",".join(planners), "either --planners or --strategies")
    if planners:
        names, base = check_planners(list(planners), baseline, overrides)
        key = "policy.planner"
    else:
        if not strategies:
            choice = supported(overrides, baseline)
            strategies, baseline, loaded = choice.names, choice.baseline, choice.loaded
            progress.note(choice.describe())
        names, base = check_strategies(list(strategies), baseline, overrides)
        key = "strategy"
    targets = targets_of(precision)
    req = Request(names, base, list(overrides), pick_backend(backend), key)
    cmp = Compare.prepare(req, loaded)
    n0 = cmp.arms[0].sc.experiment.replications
    cap = check_cap(max_replications, n0, targets is not None)
    if targets is not None:
        check_cap_memory(cmp.cfgs[0], cap, len(cmp.arms))
    check_out_dir(cmp.out_dir)
    cmp.open()
    try:
        k = len(cmp.arms)
        found = cmp.done(n0)
        if found:
            progress.note(f"resuming: {found} of {k} x {n0} replications already done")
        t0 = time.perf_counter()
        progress.start(k * n0, found)
        try:

            def run_to(n: int) -> dict[str, ExperimentResult]:
                progress.grow(k * n)
                return cmp.run_to(n, progress.advance)

            seq = Sequential(run_to, all_kpis, targets or {}, KPI_UNITS, by="strategy")
            results, outcome = seq.run(n0, cap if targets else n0)
        except KeyboardInterrupt:
            raise Interrupted(cmp.done()) from None
        finally:
            progress.close()
        elapsed = time.perf_counter() - t0
        n = outcome.n
        final = commit_folder(
            cmp.out_dir,
            lambda: RunFolder.create(cmp.out_dir, f"compare-{cmp.arms[0].sc.name}"),
            lambda folder: write_folder(
                folder.tmp, cmp, all_kpis(results), n, outcome if targets else None
            ),
            cmp.root,
        )
    except BaseException:
        cmp.close()
        raise
    cmp.remove()
    return RunResult(
        final, n, k * n - found, elapsed, req.backend, outcome.describe() if targets else ""
    )
