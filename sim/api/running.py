"""Run a scenario into a run folder: replications streamed to a resumable store, grown by
sequential stopping when asked, then the folder's tables and pages written and committed whole.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

from omegaconf import DictConfig, OmegaConf

from ..analysis.columns import KPI_COLUMNS, KPI_UNITS
from ..config.footprint import check_footprint
from ..core.errors import ConfigError
from ..run.durable import disk_error
from ..run.experiment import ExperimentResult, run_experiment
from ..run.folder import RunFolder, resolved_yaml
from ..run.precision import Outcome, Sequential, check_cap, parse_targets
from ..run.store import PartStore, run_key
from .progress import Interrupted, Progress
from .results import Loaded, RunResult
from .scenario import Scenarioish, loaded, pick_backend

Targets = str | Mapping[str, float] | None


def targets_of(precision: Targets) -> dict[str, float] | None:
    """Precision targets from ``"fill_rate=0.005,total_cost=2000"`` or a mapping."""
    if precision is None:
        return None
    if isinstance(precision, str):
        return parse_targets(precision, KPI_COLUMNS)
    return parse_targets(",".join(f"{k}={v}" for k, v in precision.items()), KPI_COLUMNS)


def write_run_folder(
    folder: RunFolder,
    ld: Loaded,
    result: ExperimentResult,
    config_yaml: str,
    store: PartStore | None = None,
    precision: Outcome | None = None,
) -> None:
    """Tables, report and explore page into ``folder``'s temporary directory."""
    # The pages' modules (matplotlib) are imported once the replications are done: the process
    # that gathers them stays small while the workers run.
    from ..views.explore import write_explore
    from ..views.report import write_report

    summary = folder.write_tables(ld.scenario, result, config_yaml, store, precision)
    write_report(
        folder.tmp,
        ld.scenario,
        ld.plan,
        result,
        summary,
        precision.describe() if precision is not None else "",
    )
    write_explore(folder.tmp, sc=ld.scenario, sample=(result.daily, result.disruptions))


def check_cap_memory(config: DictConfig, cap: int, arms: int = 1) -> None:
    """A :class:`ConfigError` when growing to ``cap`` replications (of each of ``arms``
    strategies) would not fit in this machine's memory."""
    plain = OmegaConf.to_container(config, resolve=True)
    assert isinstance(plain, dict)
    try:
        check_footprint(cast(dict[str, Any], plain), replications=cap * arms)
    except ConfigError as exc:
        raise ConfigError("--max-replications", cap, exc.expected) from None


def run(
    what: Scenarioish = (),
    *,
    backend: str | None = None,
    precision: Targets = None,
    max_replications: int | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run the scenario (overrides or a :func:`load`-ed one) and write its run folder under
    ``out_dir``; an interrupted run keeps its finished replications and the same call resumes.

    ``precision`` (``{"fill_rate": 0.005}``) adds replications until each KPI's 95% half-width
    is below its target, up to ``max_replications`` (default 10 x the configured number).
    """
    targets = targets_of(precision)
    ld = loaded(what)
    b = pick_backend(backend)
    progress = progress or Progress()
    n0 = ld.scenario.experiment.replications
    cap = check_cap(max_replications, n0, targets is not None)
    if targets is not None:
        check_cap_memory(ld.config, cap)
    resolved = resolved_yaml(ld.config)
    out_dir = ld.out_dir
    check_out_dir(out_dir)
    # Finished replications stream to a hidden store keyed by the resolved config: running
    # the same call after an interruption computes only what is missing.
    with PartStore.open(out_dir / f".partial-{ld.scenario.name}-{run_key(resolved, b)}") as store:
        found = [r for r in store.done()]
        done = len([r for r in found if r < n0])
        if done:
            progress.note(f"resuming: {done} of {n0} replications already done")
        t0 = time.perf_counter()
        progress.start(n0, done)
        try:

            def run_to(n: int) -> ExperimentResult:
                progress.grow(n)
                return run_experiment(
                    ld.scenario, ld.plan, b, progress=progress.advance, store=store, replications=n
                )

            seq = Sequential(run_to, lambda r: r.kpis, targets or {}, KPI_UNITS)
            result, outcome = seq.run(n0, cap if targets else n0)
        except KeyboardInterrupt:
            raise Interrupted(len(store.done())) from None
        finally:
            progress.close()
        elapsed = time.perf_counter() - t0
        n = outcome.n
        config_yaml = resolved_yaml(ld.config, n)
        final = commit_folder(
            out_dir,
            lambda: RunFolder.create(out_dir, ld.scenario.name),
            lambda folder: write_run_folder(
                folder, ld, result, config_yaml, store, outcome if targets else None
            ),
            store.root,
        )
        store.remove()
    ran = n - len([r for r in found if r < n])
    return RunResult(final, n, ran, elapsed, b, outcome.describe() if targets else "")


def commit_folder(
    where: Path,
    make: Callable[[], RunFolder],
    write: Callable[[RunFolder], object],
    kept_in: Path | None = None,
) -> Path:
    """Make a run folder under ``where``, write it through ``write`` and move it into place; on
    failure it is removed, and a failed write (a full disk, say) is one line saying that the
    finished replications are kept in ``kept_in``."""
    folder = None
    try:
        folder = make()
        write(folder)
        return folder.commit()
    except BaseException as exc:
        if folder is not None:
            folder.discard()
        if isinstance(exc, OSError):
            kept = f"the finished replications are kept in {kept_in}" if kept_in else ""
            raise disk_error(exc, where, kept=kept) from None
        raise


def check_out_dir(out_dir: Path) -> None:
    """``out_dir`` exists or can be made, and can be written to."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            "out_dir",
            str(out_dir),
            f"a folder that can be created ({exc.strerror or type(exc).__name__})",
        ) from None
    if not out_dir.is_dir():
        raise ConfigError("out_dir", str(out_dir), "a folder (it is a file)")
    if not os.access(out_dir, os.W_OK):
        read_only = bool(os.statvfs(out_dir).f_flag & os.ST_RDONLY) if os.name == "posix" else False
        why = "the file system is read-only" if read_only else "this user may not write to it"
        raise ConfigError("out_dir", str(out_dir), f"a folder that can be written to ({why})")
