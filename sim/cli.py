"""The ``ripple`` command line: the only layer that knows about files, configs and terminals.

    ripple run [HYDRA_OVERRIDES ...]          run the scenario, write a run folder
    ripple network export [OVERRIDES] [--out FILE.graphml]
    ripple validate [OVERRIDES]               compose and validate only
    ripple scenarios                          list the curated scenarios
    ripple demand [OVERRIDES] [--out FOLDER]  what the sales history became: table and figure
    ripple compare [--strategies A,B,...] [--baseline A] [OVERRIDES]  (default: all that apply)
    ripple map RUN_FOLDER --day N [--out FILE.png]      the map of one day, disruptions in red
    ripple animate RUN_FOLDER [--out FILE.gif] [--fps N] [--every K]   GIF (+ MP4 with ffmpeg)
    ripple explain RUN_FOLDER [--replication R] [--strategy S]   what happened, in plain words
    ripple sweep [OVERRIDES with a,b,c values]  Hydra multirun, a run folder per job
    ripple gather SWEEP_DIR                   one tidy table of a sweep's jobs
    ripple explore RUN_FOLDER [--replication N]   (re)write the interactive page

``run`` and ``compare`` take ``--precision KPI=HALF_WIDTH,...`` (sequential stopping, see
sim/run/precision.py) and ``--max-replications N``.

This module parses arguments, calls :mod:`sim.api` and prints. A user mistake (bad override,
bad config value, bad argument) is a :class:`ConfigError` from the API: one line naming the key,
the value and what was expected, exit status 2, and nothing written.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import api
from .core.errors import ConfigError

log = logging.getLogger("sim.cli")

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
BACKENDS = ["compiled", "pure"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"ripple: error: {message} (see 'ripple --help')\n")
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ripple", description="Ripple: supply-chain resilience simulator.")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="run replications of a scenario and write a run folder")
    run.add_argument(
        "overrides",
        nargs="*",
        help="Hydra overrides, e.g. seed=7 experiment.replications=20 policy=sS",
    )
    run.add_argument(
        "--backend", choices=BACKENDS, help="handler build (default: compiled when built)"
    )
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    _precision_args(run)
    net = sub.add_parser("network", help="network tools")
    net_sub = net.add_subparsers(dest="network_command", required=True, parser_class=_Parser)
    exp = net_sub.add_parser(
        "export",
        help="write the network as tables Ripple reads back: GraphML, an .xlsx workbook, or a "
        "folder of CSV files",
    )
    exp.add_argument("overrides", nargs="*")
    exp.add_argument(
        "--out",
        type=Path,
        default=Path("network.graphml"),
        help="FILE.graphml, FILE.xlsx, or a FOLDER (nodes.csv, lanes.csv); default network.graphml",
    )
    exp.add_argument(
        "--template", action="store_true", help="the empty tables, every column, no rows"
    )
    val = sub.add_parser("validate", help="compose and validate a config, run nothing")
    val.add_argument("overrides", nargs="*")
    scn = sub.add_parser(
        "scenarios", help="list the curated scenarios (run one: ripple run scenario=NAME)"
    )
    ini = sub.add_parser(
        "init", help="write a starter project of your own supply chain into a new folder"
    )
    ini.add_argument("folder", type=Path, help="the project folder to make (new or empty)")
    ini.add_argument("--name", help="the name of its network (default: the folder's name)")
    cmp_ = sub.add_parser(
        "compare", help="run strategies on common random numbers and compare them with a baseline"
    )
    cmp_.add_argument("overrides", nargs="*", help="Hydra overrides shared by every strategy")
    cmp_.add_argument(
        "--strategies",
        help="comma-separated options of strategy/, e.g. overseas_warehouse,expedite_air "
        "(default: every one the network supports)",
    )
    plan_help = "compare the planners (policy.planner) instead, the strategy fixed"
    cmp_.add_argument("--planners", nargs="?", const="static,reacting", help=plan_help)
    cmp_.add_argument("--baseline", help="the arm to compare with (default: the first)")
    cmp_.add_argument("--backend", choices=BACKENDS)
    cmp_.add_argument("--no-progress", action="store_true")
    dem = sub.add_parser(
        "demand", help="what the sales history (demand.history) became: a table and a figure"
    )
    dem.add_argument("overrides", nargs="*", help="e.g. demand.history.mode=replay")
    dem.add_argument("--history", type=Path, help="sales tables (= demand.history.path=...)")
    dem.add_argument("--out", type=Path, help="folder to write (default: results/demand/STAMP)")
    dem.add_argument("--top", type=int, default=3, help="best sellers drawn per market (default 3)")
    mp = sub.add_parser(
        "map", help="draw the network of a run folder on one day, disrupted nodes and lanes in red"
    )
    mp.add_argument("run_folder", type=Path)
    mp.add_argument("--day", type=int, required=True, help="measured day (0 = first)")
    mp.add_argument("--replication", type=int, help="default: the first with daily series")
    mp.add_argument("--out", type=Path, help="PNG file (default: RUN_FOLDER/map-dayN.png)")
    an = sub.add_parser(
        "animate",
        help="animate a run folder: map with stock and queues, "
        "disruptions, timeline (GIF, and MP4 when ffmpeg is on PATH)",
    )
    an.add_argument("run_folder", type=Path)
    an.add_argument("--out", type=Path, help="GIF file (default: RUN_FOLDER/animation.gif)")
    an.add_argument("--fps", type=float, default=8.0, help="frames per second (default 8)")
    an.add_argument(
        "--every", type=int, help="days between frames (default: about 150 frames in all)"
    )
    an.add_argument("--replication", type=int, help="default: the first with daily series")
    expl = sub.add_parser(
        "explain", help="tell what happened in a run or compare folder, in plain words"
    )
    expl.add_argument("run_folder", type=Path)
    expl.add_argument("--replication", type=int, help="only this replication")
    expl.add_argument("--strategy", help="only this strategy of a compare folder")
    swp = sub.add_parser(
        "sweep",
        help="Hydra multirun over any config values (key=a,b,c), a "
        "run folder per job under results/sweeps/, then gather",
    )
    swp.add_argument("overrides", nargs="*", help="Hydra overrides, sweeps and hydra/launcher=...")
    swp.add_argument("--backend", choices=BACKENDS)
    swp.add_argument("-m", "--multirun", action="store_true", help=argparse.SUPPRESS)
    gat = sub.add_parser(
        "gather", help="gather a sweep's jobs into sweep.parquet/.csv and sweep_summary.csv"
    )
    gat.add_argument("sweep_dir", help="the sweep directory, e.g. results/sweeps/STAMP-NAME")
    expl = sub.add_parser(
        "explore",
        help="(re)write explore.html, the interactive day-by-day page, in a run or compare folder",
    )
    expl.add_argument("folder", type=Path, help="a folder written by ripple run or compare")
    expl.add_argument(
        "--replication", type=int, help="show this replication (default: the mean of all)"
    )
    _precision_args(cmp_)
    for cmd in (run, exp, val, scn, cmp_, swp, dem):
        cmd.add_argument(
            "--project",
            type=Path,
            help="a project folder (ripple init); default: this folder when it holds ripple.yaml",
        )
    return p


def _precision_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--precision",
        metavar="KPI=HW,...",
        help="sequential stopping: add "
        "replications until each KPI's 95%% half-width is below HW, e.g. "
        "fill_rate=0.005,total_cost=2000",
    )
    p.add_argument(
        "--max-replications",
        type=int,
        metavar="N",
        help="cap for --precision (default: 10 x experiment.replications)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ripple`` console script."""
    tokens = sys.argv[1:] if argv is None else list(argv)
    # Hydra overrides (key=value, +key=value, ~key) may sit anywhere among the options:
    # take them out before argparse, which cannot mix positionals after options (the value of
    # --precision, fill_rate=0.005, is not an override).
    is_override = [
        i > 0
        and not t.startswith("-")
        and ("=" in t or t.startswith("~"))
        and tokens[i - 1] != "--precision"
        for i, t in enumerate(tokens)
    ]
    overrides = [t for t, o in zip(tokens, is_override) if o]
    rest = [t for t, o in zip(tokens, is_override) if not o]
    args = _parser().parse_args(rest)
    if hasattr(args, "overrides"):
        args.overrides = [*args.overrides, *overrides]
    elif overrides:
        sys.stderr.write(f"ripple: error: {args.command} takes no overrides ({overrides[0]})\n")
        return EXIT_USAGE
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        with api.use_project(getattr(args, "project", None)):
            return COMMANDS[args.command](args)
    except ConfigError as exc:
        sys.stderr.write(f"ripple: {exc}\n")
        return EXIT_USAGE
    except api.Interrupted as exc:
        sys.stderr.write(f"ripple: {exc}\n")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        if args.command == "sweep":
            sys.stderr.write(
                "ripple: interrupted; finished jobs are kept under the sweep's "
                "directory: run the same sweep with hydra.sweep.dir=THAT_DIR to "
                "resume\n"
            )
        else:
            sys.stderr.write("ripple: interrupted; nothing was written\n")
        return EXIT_INTERRUPTED


def _out(*lines: object) -> int:
    sys.stdout.write("".join(f"{line}\n" for line in lines if line != ""))
    return 0


def _run(args: argparse.Namespace) -> int:
    r = api.run(
        args.overrides,
        backend=args.backend,
        precision=args.precision,
        max_replications=args.max_replications,
        progress=Bar(args.no_progress),
    )
    return _out(
        r.kpi_table(),
        r.precision,
        f"{r.replications} replications ({r.ran} run now) in {r.seconds:.1f} s "
        f"({r.backend} handlers); report: {r.folder / 'report.html'}",
        r.folder,
    )


def _compare(args: argparse.Namespace) -> int:
    r = api.compare(
        args.strategies.split(",") if args.strategies is not None else None,
        args.overrides,
        args.baseline,
        backend=args.backend,
        precision=args.precision,
        max_replications=args.max_replications,
        progress=Bar(args.no_progress),
        planners=args.planners.split(",") if args.planners is not None else None,
    )
    return _out(
        r.paired_table(),
        r.precision,
        f"{len(r.strategies)} {'planners' if args.planners else 'strategies'} x "
        f"{r.replications} replications on common random numbers in {r.seconds:.1f} s "
        f"({r.backend} handlers); report: {r.folder / 'report.html'}",
        r.folder,
    )


def _validate(args: argparse.Namespace) -> int:
    return _out(f"ok: {api.load(args.overrides).describe()}")


def _scenarios(args: argparse.Namespace) -> int:
    items = api.scenarios()
    width = max((len(n) for n in items), default=0)
    net_width = max((len(net) + 2 for net, _ in items.values()), default=0)
    return _out(
        *(
            f"{name.ljust(width)}  {f'[{net}]'.ljust(net_width)}  {desc}"
            for name, (net, desc) in items.items()
        )
    )


def _network(args: argparse.Namespace) -> int:
    return _out(api.export_network(args.overrides, args.out, args.template))


def _init(args: argparse.Namespace) -> int:
    folder = api.init_project(args.folder, args.name)
    return _out(
        f"a starter project in {folder}: edit its tables/network/*.csv, then "
        f"`cd {folder} && ripple validate && ripple run` (README.md there says more)",
        folder,
    )


def _demand(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise ConfigError("--top", args.top, "a number of SKUs >= 1")
    overrides = list(args.overrides)
    if args.history is not None:
        overrides.append(f"demand.history.path={args.history.resolve()}")
    r = api.demand(overrides, args.project, args.out, args.top)
    return _out(r.text(), r.folder)


def _map(args: argparse.Namespace) -> int:
    return _out(api.draw_map(args.run_folder, args.day, args.out, args.replication))


def _animate(args: argparse.Namespace) -> int:
    return _out(*api.animate(args.run_folder, args.out, args.fps, args.every, args.replication))


def _explain(args: argparse.Namespace) -> int:
    return _out(api.explain(args.run_folder, args.replication, args.strategy))


def _explore(args: argparse.Namespace) -> int:
    return _out(api.explore(args.folder, args.replication))


def _sweep(args: argparse.Namespace) -> int:
    if args.command == "gather":
        g = api.gather(args.sweep_dir)
    else:
        g = api.sweep(args.overrides, backend=args.backend)
        _out(f"{g.launched} jobs in {g.seconds:.1f} s ({g.backend} handlers)")
    if g.missing:
        sys.stderr.write(
            f"ripple: {len(g.missing)} of {len(g.missing) + len(g.jobs)} jobs not "
            f"finished (yet): {', '.join(g.missing)}\n"
        )
    return _out(
        f"{len(g.table)} rows from {len(g.jobs)} jobs, a column per swept override "
        f"({', '.join(g.columns) or 'none'}); per point: {g.files[2]}",
        g.files[0],
    )


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": _run,
    "compare": _compare,
    "validate": _validate,
    "scenarios": _scenarios,
    "demand": _demand,
    "network": _network,
    "map": _map,
    "animate": _animate,
    "explain": _explain,
    "explore": _explore,
    "init": _init,
    "sweep": _sweep,
    "gather": _sweep,
}


class Bar(api.Progress):
    """A progress bar on stderr (tqdm) that also prints the API's notes."""

    def __init__(self, disabled: bool) -> None:
        self.disabled = disabled
        self.bar: Any = None

    def start(self, total: int, done: int = 0) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=total,
            initial=done,
            desc="replications",
            unit="rep",
            disable=self.disabled or None,
            file=sys.stderr,
            leave=False,
        )

    def advance(self, n: int = 1) -> None:
        self.bar.update(n)

    def grow(self, total: int) -> None:
        if self.bar.total is not None and total > self.bar.total:
            self.bar.total = total
            self.bar.refresh()

    def note(self, text: str) -> None:
        sys.stderr.write(f"ripple: {text}\n")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
