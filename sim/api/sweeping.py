"""Sweeps: a Hydra multirun over any config value, each job a normal run folder.

``ripple sweep scenario=la_lb_strike disruption.scripted.strike.duration=5,10 strategy=A,B``
hands the overrides to Hydra's multirun (the same machinery as ``@hydra.main`` with ``-m``), so
any sweeper or launcher plugin works (``hydra/launcher=joblib``, ``hydra/launcher=submitit_slurm``).
Each job composes the config Hydra gives it, runs its replications like ``ripple run`` (same
code, same numbers) and writes a whole run folder ``SWEEP_DIR/job-NNN/`` atomically, with a
``job.yaml`` naming its overrides. ``SWEEP_DIR/sweep.yaml`` is the manifest: the command's
overrides, the swept keys and, for the basic sweeper, every job's overrides.

Before anything is written, every point of a grid sweep is composed, validated and planned, so
a bad value in any job is one line and exit status 2.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from hydra.core.override_parser.types import Override
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf

from ..config.compose import hydra_error, load, resolved, saved, validated
from ..config.paths import (
    base_dir,
    pick_project,
    primary,
    scenario_dir,
    search_path,
    use_project,
)
from ..config.paths import project as current_project
from ..config.schema import register
from ..core.errors import ConfigError
from ..plan import make_plan
from ..run.experiment import run_experiment
from ..run.folder import RunFolder
from ..run.gather import gather as gather_jobs
from ..run.gather import write as write_gathered
from ..run.store import PartStore, run_key
from ..run.sweep_grid import HYDRA_JOBS, JOB_FILE, MANIFEST, grid, is_hydra, job_name, key_of, parse
from .results import Loaded, SweepResult
from .running import commit_folder, write_run_folder
from .scenario import pick_backend

log = logging.getLogger(__name__)


def _basic_sweeper(hydra_ovs: list[Override]) -> bool:
    return all(o.key_or_group != "hydra/sweeper" or o.value() == "basic" for o in hydra_ovs)


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep will run: its directory, the overrides handed to Hydra and its jobs."""

    sweep_dir: Path
    task: list[str]  # the command's config overrides, as typed
    hydra: list[str]  # the command's hydra.* overrides
    swept: list[str]  # keys with more than one value
    jobs: list[list[str]] | None  # every job's overrides (None: the sweeper decides)
    scenario_name: str


def _validate(points: list[list[str]]) -> tuple[str, str]:
    """Compose, validate and plan every point; the scenario name and out_dir they share."""

    names, out_dirs = set(), set()
    for point in points:
        sc, cfg = load(point)
        make_plan(sc)
        names.add(sc.name)
        out_dirs.add(str(base_dir() / str(cfg.out_dir)))
    if len(out_dirs) > 1:
        raise ConfigError(
            "out_dir",
            ",".join(sorted(out_dirs)),
            "one out_dir for the whole sweep (set hydra.sweep.dir to place it)",
        )
    return (names.pop() if len(names) == 1 else "sweep"), out_dirs.pop()


def _new_dir(out_dir: Path, name: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    base = out_dir / "sweeps" / f"{stamp}-{safe}"
    final, i = base, 1
    while final.exists():
        i += 1
        final = base.with_name(f"{base.name}-{i}")
    return final.resolve()


def plan_sweep(overrides: Sequence[str]) -> SweepPlan:
    """Parse the command, expand and validate every point; writes nothing."""
    parsed = parse(overrides)
    hydra_ovs = [o for o in parsed if is_hydra(o)]
    task_ovs = [o for o in parsed if not is_hydra(o)]
    swept = [key_of(o) for o in task_ovs if o.is_sweep_override()]
    jobs = None
    if _basic_sweeper(hydra_ovs):
        jobs = grid(task_ovs)
        name, out_dir = _validate(jobs)
    else:  # another sweeper chooses the points: validate what is fixed
        fixed = [o.input_line for o in task_ovs if not o.is_sweep_override()]
        name, out_dir = _validate([[o for o in fixed if o]])
    given = [o for o in hydra_ovs if o.key_or_group == "hydra.sweep.dir"]
    if given and "${" in str(given[-1].value()):
        raise ConfigError("hydra.sweep.dir", given[-1].value(), "a plain path (no ${...})")
    sweep_dir = Path(str(given[-1].value())).resolve() if given else _new_dir(Path(out_dir), name)
    return SweepPlan(
        sweep_dir,
        [o.input_line or "" for o in task_ovs],
        [o.input_line or "" for o in hydra_ovs if o not in given],
        swept,
        jobs,
        name,
    )


def manifest(plan: SweepPlan, backend: str) -> dict:
    """The sweep's manifest: its command, swept keys and jobs."""
    jobs = (
        None
        if plan.jobs is None
        else [
            {"num": i, "name": job_name(i), "overrides": list(j)} for i, j in enumerate(plan.jobs)
        ]
    )
    return {
        "scenario": plan.scenario_name,
        "backend": backend,
        "overrides": plan.task,
        "hydra_overrides": plan.hydra,
        "swept": plan.swept,
        "jobs": jobs,
    }


def _write_manifest(plan: SweepPlan, backend: str) -> None:
    path = plan.sweep_dir / MANIFEST
    text = yaml.safe_dump(manifest(plan, backend), sort_keys=False)
    if path.exists():  # resuming: the same overrides (launcher and backend may differ)
        if (yaml.safe_load(path.read_text()) or {}).get("overrides") != plan.task:
            raise ConfigError(
                "hydra.sweep.dir",
                str(plan.sweep_dir),
                "a new directory, or one holding the same sweep (to resume it)",
            )
        return
    plan.sweep_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_text(text)
    os.replace(tmp, path)


def _scenario_to_hydra(task: list[str]) -> list[str]:
    """``scenario=a,b`` selects overlays of ``scenarios/`` (see :mod:`sim.config.compose`):
    for Hydra it becomes the group override ``+scenarios=a,b`` (found on the search path of
    :func:`sim.config.paths.search_path`)."""
    from hydra.core.config_store import ConfigStore

    out, group = [], scenario_dir().name
    for line in task:
        ov = parse([line])[0]
        if ov.key_or_group == "scenario" and ov.package is None:
            if ov.value() == "default":  # the default has no overlay
                out.append(line)
                continue
            # In a sweep, "default" is an empty overlay.
            ConfigStore.instance().store(group=group, name="default", node={}, package="_global_")
            out.append(f"+{group}={line.partition('=')[2]}")
        else:
            out.append(line)
    return out


def _public(job_overrides: Sequence[str]) -> list[str]:
    """A job's overrides as the user writes them (``+scenarios=X`` back to ``scenario=X``)."""

    prefix = f"+{scenario_dir().name}="
    return [f"scenario={o[len(prefix) :]}" if o.startswith(prefix) else o for o in job_overrides]


@dataclass(frozen=True)
class Job:
    """Hydra's task function: one job of the sweep, run like ``ripple run`` (picklable, so
    launchers can ship it to other processes and machines)."""

    sweep_dir: str
    backend: str
    project: str = ""  # the project folder the sweep composes with ("" for none)

    def __call__(self, cfg: DictConfig) -> str:
        with use_project(Path(self.project) if self.project else None):
            return self.run(cfg)

    def run(self, cfg: DictConfig) -> str:
        """Run the job of ``cfg`` (in its project's context)."""
        from hydra.core.hydra_config import HydraConfig

        hc = HydraConfig.get()
        num = int(hc.job.num)
        overrides = _public(list(hc.overrides.task))
        root = Path(self.sweep_dir)
        name = job_name(num)
        final = root / name
        if (final / JOB_FILE).is_file():
            if yaml.safe_load((final / JOB_FILE).read_text())["overrides"] != overrides:
                raise ConfigError(
                    "hydra.sweep.dir",
                    self.sweep_dir,
                    f"a directory whose {name} was run with these overrides",
                )
            log.info("%s: already done, kept", name)
            return str(final)
        plain = resolved(cfg, overrides)
        sc = validated(plain, overrides)
        whole = saved(cfg, plain)  # the network read from its tables, a history pinned
        ld = Loaded(sc, whole, make_plan(sc), tuple(overrides), current_project())
        resolved_text = OmegaConf.to_yaml(whole, resolve=True)
        key = run_key(resolved_text, self.backend)
        with PartStore.open(root / f".partial-{name}-{key}") as store:
            t0 = time.perf_counter()
            result = run_experiment(sc, ld.plan, self.backend, store=store)
            job = {
                "num": num,
                "name": name,
                "overrides": overrides,
                "backend": self.backend,
                "replications": sc.experiment.replications,
            }

            def write(folder: RunFolder) -> None:
                write_run_folder(folder, ld, result, resolved_text, store)
                (folder.tmp / JOB_FILE).write_text(yaml.safe_dump(job, sort_keys=False))

            tmp = root / f".tmp-{name}"
            commit_folder(root, lambda: RunFolder.at(tmp, final), write, store.root)
            store.remove()
        log.info(
            "%s: %d replications in %.1f s: %s",
            name,
            sc.experiment.replications,
            time.perf_counter() - t0,
            " ".join(overrides),
        )
        return str(final)


def _hydra_error(exc: Exception, overrides: list[str]) -> ConfigError:
    """One line for a bad override of Hydra's own config, e.g. a launcher not installed."""

    m = re.search(r"Could not (?:find|load) '(hydra/[^']+)/([^'/]+)'", str(exc))
    if m:
        return ConfigError(
            m.group(1),
            m.group(2),
            f"an option of {m.group(1)}/ (a launcher "
            "or sweeper plugin may need installing, e.g. hydra-joblib-launcher)",
        )
    return hydra_error(exc, overrides)


def run_sweep(overrides: Sequence[str], backend: str) -> tuple[SweepPlan, int]:
    """Validate every point, write the manifest and run the sweep through Hydra's multirun.

    Returns the plan and the number of jobs launched. A failed job does not stop the others
    (Hydra's launchers run every job of a batch); its error is raised after the batch.
    """
    from hydra import version
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_config_search_path
    from hydra.core.global_hydra import GlobalHydra
    from hydra.types import RunMode
    from omegaconf.errors import OmegaConfBaseException

    plan = plan_sweep(overrides)
    args = [*_scenario_to_hydra(plan.task), *plan.hydra, f"hydra.sweep.dir='{plan.sweep_dir}'"]
    keys = {parse([a])[0].key_or_group for a in plan.hydra}
    extra = search_path()
    if extra and "hydra.searchpath" not in keys:
        args.append("hydra.searchpath=[" + ",".join(f"file://{d}" for d in extra) + "]")
    folder, config_name = primary()
    if "hydra.sweep.subdir" not in keys:
        args.append(f"hydra.sweep.subdir='{HYDRA_JOBS}/${{hydra.job.num}}'")
    if "hydra.job.chdir" not in keys:
        args.append("hydra.job.chdir=false")
    version.setbase("1.3")
    register()
    GlobalHydra.instance().clear()
    try:
        hydra = Hydra.create_main_hydra2(
            task_name="ripple",
            config_search_path=create_config_search_path(f"file://{folder}"),
        )
        try:  # Hydra's own overrides (launcher, sweeper) must compose before anything is written
            hydra.compose_config(
                config_name,
                [*args, "hydra.mode=MULTIRUN"],
                run_mode=RunMode.MULTIRUN,
                with_log_configuration=False,
            )
        except (HydraException, OmegaConfBaseException, ValueError) as exc:
            raise _hydra_error(exc, list(overrides)) from None
        _write_manifest(plan, backend)
        job = Job(str(plan.sweep_dir), backend, str(current_project() or ""))
        batches = hydra.multirun(config_name, job, [*args, "hydra.mode=MULTIRUN"])
    finally:
        GlobalHydra.instance().clear()
    return plan, sum(len(b) for b in batches or [])


def sweep(
    overrides: Sequence[str], backend: str | None = None, project: Path | str | None = None
) -> SweepResult:
    """Run a Hydra multirun over ``overrides`` (``key=a,b,c`` sweeps, ``hydra/launcher=...``),
    a run folder per job, then gather them (:func:`gather`). A sweep run again into the same
    ``hydra.sweep.dir`` runs only the jobs still missing. ``project``: as for
    :func:`sim.api.load` (default: the one in force, else the working directory's)."""
    b = pick_backend(backend)
    t0 = time.perf_counter()
    folder = pick_project(project)
    with use_project(folder):
        plan, n = run_sweep(overrides, b)
    done = gather(plan.sweep_dir)
    return replace(done, launched=n, seconds=time.perf_counter() - t0, backend=b)


def gather(sweep_dir: Path | str) -> SweepResult:
    """Gather the finished jobs of a sweep directory into ``sweep.parquet``, ``sweep.csv`` and
    ``sweep_summary.csv`` (also while it runs, or after some jobs failed)."""
    sweep_dir = Path(sweep_dir)
    g = gather_jobs(sweep_dir)
    files = write_gathered(sweep_dir, g)
    return SweepResult(sweep_dir, g.table, g.summary, g.columns, g.jobs, g.missing, files)
