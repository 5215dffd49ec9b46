"""The ``ripple`` command line: the only layer that knows about files, configs and terminals.

    ripple run [HYDRA_OVERRIDES ...]          run the scenario, write a run folder
    ripple network export [OVERRIDES] [--out FILE.graphml]
    ripple validate [OVERRIDES]               compose and validate only
    ripple scenarios                          list the curated scenarios
    ripple compare --strategies A,B[,...] [--baseline A] [OVERRIDES]
    ripple map RUN_FOLDER --day N [--out FILE.png]      the map of one day, disruptions in red
    ripple animate RUN_FOLDER [--out FILE.gif] [--fps N] [--every K]   GIF (+ MP4 with ffmpeg)
    ripple explain RUN_FOLDER [--replication R] [--strategy S]   what happened, in plain words
    ripple sweep [OVERRIDES with a,b,c values]  Hydra multirun, a run folder per job
    ripple gather SWEEP_DIR                   one tidy table of a sweep's jobs
    ripple explore RUN_FOLDER [--replication N]   (re)write the interactive page

``run`` and ``compare`` take ``--precision KPI=HALF_WIDTH,...`` (sequential stopping, see
sim/precision.py) and ``--max-replications N``.

A user mistake (bad override, bad config value, bad argument) prints one line naming the key,
the value and what was expected, and exits with status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import handlers
from .errors import ConfigError

log = logging.getLogger("sim.cli")

EXIT_USAGE = 2


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
    run.add_argument("overrides", nargs="*", help="Hydra overrides, e.g. seed=7 "
                     "experiment.replications=20 policy=sS")
    run.add_argument("--backend", choices=[handlers.COMPILED, handlers.PURE],
                     help="handler build (default: compiled when built)")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    _precision_args(run)
    net = sub.add_parser("network", help="network tools")
    net_sub = net.add_subparsers(dest="network_command", required=True, parser_class=_Parser)
    exp = net_sub.add_parser("export", help="write the network as GraphML")
    exp.add_argument("overrides", nargs="*")
    exp.add_argument("--out", type=Path, default=Path("network.graphml"))
    val = sub.add_parser("validate", help="compose and validate a config, run nothing")
    val.add_argument("overrides", nargs="*")
    sub.add_parser("scenarios", help="list the curated scenarios (run one: ripple run "
                   "scenario=NAME)")
    cmp_ = sub.add_parser("compare", help="run strategies on common random numbers and compare "
                          "them with a baseline")
    cmp_.add_argument("overrides", nargs="*", help="Hydra overrides shared by every strategy")
    cmp_.add_argument("--strategies", required=True,
                      help="comma-separated options of configs/strategy/, e.g. "
                      "overseas_warehouse,expedite_air")
    cmp_.add_argument("--baseline", help="the strategy the others are compared with "
                      "(default: the first)")
    cmp_.add_argument("--backend", choices=[handlers.COMPILED, handlers.PURE])
    cmp_.add_argument("--no-progress", action="store_true")
    mp = sub.add_parser("map", help="draw the network of a run folder on one day, disrupted "
                        "nodes and lanes in red")
    mp.add_argument("run_folder", type=Path)
    mp.add_argument("--day", type=int, required=True, help="measured day (0 = first)")
    mp.add_argument("--replication", type=int, help="default: the first with daily series")
    mp.add_argument("--out", type=Path, help="PNG file (default: RUN_FOLDER/map-dayN.png)")
    an = sub.add_parser("animate", help="animate a run folder: map with stock and queues, "
                        "disruptions, timeline (GIF, and MP4 when ffmpeg is on PATH)")
    an.add_argument("run_folder", type=Path)
    an.add_argument("--out", type=Path, help="GIF file (default: RUN_FOLDER/animation.gif)")
    an.add_argument("--fps", type=float, default=8.0, help="frames per second (default 8)")
    an.add_argument("--every", type=int, help="days between frames (default: about 150 "
                    "frames in all)")
    an.add_argument("--replication", type=int, help="default: the first with daily series")
    expl = sub.add_parser("explain", help="tell what happened in a run or compare folder, in "
                          "plain words")
    expl.add_argument("run_folder", type=Path)
    expl.add_argument("--replication", type=int, help="only this replication")
    expl.add_argument("--strategy", help="only this strategy of a compare folder")
    swp = sub.add_parser("sweep", help="Hydra multirun over any config values (key=a,b,c), a "
                         "run folder per job under results/sweeps/, then gather")
    swp.add_argument("overrides", nargs="*", help="Hydra overrides, sweeps and hydra/launcher=...")
    swp.add_argument("--backend", choices=[handlers.COMPILED, handlers.PURE])
    swp.add_argument("-m", "--multirun", action="store_true", help=argparse.SUPPRESS)
    gat = sub.add_parser("gather", help="gather a sweep's jobs into sweep.parquet/.csv and "
                         "sweep_summary.csv")
    gat.add_argument("sweep_dir", help="the sweep directory, e.g. results/sweeps/STAMP-NAME")
    expl = sub.add_parser("explore", help="(re)write explore.html, the interactive day-by-day "
                          "page, in a run or compare folder")
    expl.add_argument("folder", type=Path, help="a folder written by ripple run or compare")
    expl.add_argument("--replication", type=int, help="show this replication (default: the "
                      "mean of all)")
    _precision_args(cmp_)
    return p


def _precision_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--precision", metavar="KPI=HW,...", help="sequential stopping: add "
                   "replications until each KPI's 95%% half-width is below HW, e.g. "
                   "fill_rate=0.005,total_cost=2000")
    p.add_argument("--max-replications", type=int, metavar="N", help="cap for --precision "
                   "(default: 10 x experiment.replications)")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ripple`` console script."""
    tokens = sys.argv[1:] if argv is None else list(argv)
    # Hydra overrides (key=value, +key=value, ~key) may sit anywhere among the options:
    # take them out before argparse, which cannot mix positionals after options (the value of
    # --precision, fill_rate=0.005, is not an override).
    is_override = [i > 0 and not t.startswith("-") and ("=" in t or t.startswith("~"))
                   and tokens[i - 1] != "--precision" for i, t in enumerate(tokens)]
    overrides = [t for t, o in zip(tokens, is_override) if o]
    rest = [t for t, o in zip(tokens, is_override) if not o]
    args = _parser().parse_args(rest)
    if hasattr(args, "overrides"):
        args.overrides = [*args.overrides, *overrides]
    elif overrides:
        sys.stderr.write(f"ripple: error: {args.command} takes no overrides ({overrides[0]})\n")
        return EXIT_USAGE
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "network":
            return _export(args)
        if args.command == "scenarios":
            return _scenarios()
        if args.command == "compare":
            return _compare(args)
        if args.command in ("map", "animate"):
            return _picture(args)
        if args.command == "explain":
            from .explain import explain

            sys.stdout.write(explain(args.run_folder, args.replication, args.strategy) + "\n")
            return 0
        if args.command in ("sweep", "gather"):
            from .sweep import command
            return command(args)
        if args.command == "explore":
            from .explore import write_explore

            sys.stdout.write(f"{write_explore(args.folder, args.replication)}\n")
            return 0
        return _validate(args)
    except ConfigError as exc:
        sys.stderr.write(f"ripple: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        if args.command == "sweep":
            sys.stderr.write("ripple: interrupted; finished jobs are kept under the sweep's "
                             "directory: run the same sweep with hydra.sweep.dir=THAT_DIR to "
                             "resume\n")
        else:
            sys.stderr.write("ripple: interrupted; nothing was written\n")
        return 130


def _load(overrides: Sequence[str]):
    from .config.compose import load
    from .plan import make_plan

    sc, cfg = load(overrides)
    return sc, cfg, make_plan(sc)


def _scenarios() -> int:
    from .config.compose import scenario_network, scenarios

    items = scenarios()
    nets = {name: f"[{scenario_network(name)}]" for name in items}
    width = max((len(n) for n in items), default=0)
    net_width = max((len(n) for n in nets.values()), default=0)
    for name, desc in items.items():
        sys.stdout.write(f"{name.ljust(width)}  {nets[name].ljust(net_width)}  {desc}\n")
    return 0


def _validate(args: argparse.Namespace) -> int:
    sc, _, plan = _load(args.overrides)
    sys.stdout.write(f"ok: scenario {sc.name}: {len(sc.network.nodes)} nodes, "
                     f"{len(sc.network.lanes)} lanes, {len(sc.demand.skus)} SKUs, "
                     f"{len(plan.warehouses)} warehouses serving {len(plan.markets)} markets\n")
    return 0


def _export(args: argparse.Namespace) -> int:
    from .network import export_graphml

    sc, _, _ = _load(args.overrides)
    out: Path = args.out
    if not out.parent.exists():
        raise ConfigError("--out", str(out), "a path in an existing directory")
    tmp = out.with_name(out.name + ".part")
    export_graphml(sc.network, tmp)
    tmp.replace(out)
    sys.stdout.write(f"{out}\n")
    return 0


def _run(args: argparse.Namespace) -> int:
    from .experiment import KPI_COLUMNS, KPI_UNITS, run_experiment
    from .precision import Sequential, check_cap, parse_targets
    from .rundir import RunFolder, resolved_yaml
    from .store import PartStore, run_key
    from .summary import format_table

    targets = parse_targets(args.precision, KPI_COLUMNS) if args.precision else None
    sc, cfg, plan = _load(args.overrides)
    backend = args.backend or handlers.default_backend()
    if backend == handlers.COMPILED and not handlers.compiled_available():
        raise ConfigError("--backend", backend, "pure (the compiled handlers are not built)")
    n0 = sc.experiment.replications
    cap = check_cap(args.max_replications, n0, targets is not None)
    resolved = resolved_yaml(cfg)
    out_dir = Path(str(cfg.out_dir))
    # Finished replications stream to a hidden store keyed by the resolved config: rerunning
    # the same command after an interruption computes only what is missing.
    store = PartStore(out_dir / f".partial-{sc.name}-{run_key(resolved, backend)}")
    found = store.done()
    done = len([r for r in found if r < n0])
    if done:
        sys.stderr.write(f"ripple: resuming: {done} of {n0} replications already done\n")
    t0 = time.perf_counter()
    try:
        with _progress(n0, args.no_progress, initial=done) as bar:
            def run_to(n: int):
                _grow(bar, n)
                return run_experiment(sc, plan, backend, progress=bar.update, store=store,
                                      replications=n)

            seq = Sequential(run_to, lambda r: r.kpis, targets or {}, KPI_UNITS)
            result, outcome = seq.run(n0, cap if targets else n0)
    except KeyboardInterrupt:
        kept = len(store.done())
        sys.stderr.write(f"ripple: interrupted; {kept} finished replications kept: run the "
                         "same command again to resume\n")
        return 130
    elapsed = time.perf_counter() - t0
    n = outcome.n
    folder = RunFolder.create(out_dir, sc.name)
    try:
        summary = folder.write(sc, plan, result, resolved_yaml(cfg, n), store,
                               outcome if targets else None)
        final = folder.commit()
    except BaseException:
        folder.discard()
        raise
    store.remove()
    sys.stdout.write(format_table(summary) + "\n")
    if targets:
        sys.stdout.write(outcome.describe() + "\n")
    ran = n - len([r for r in found if r < n])
    sys.stdout.write(f"{n} replications ({ran} run now) in {elapsed:.1f} s "
                     f"({backend} handlers); report: {final / 'report.html'}\n")
    sys.stdout.write(f"{final}\n")
    return 0


def _grow(bar, total: int) -> None:
    """Extend the progress bar when sequential stopping adds replications."""
    if bar.total is not None and total > bar.total:
        bar.total = total
        bar.refresh()


def _compare(args: argparse.Namespace) -> int:
    from .compare_cmd import Request, parse_strategies, run

    names, baseline = parse_strategies(args.strategies, args.baseline, args.overrides)
    req = Request(names, baseline, args.overrides, args.backend or handlers.default_backend(),
                  args.precision, args.max_replications)
    return run(req, _load, _progress, args.no_progress)


def _picture(args: argparse.Namespace) -> int:
    from .animate import Animation, map_png
    from .runread import read_run

    folder: Path = args.run_folder
    default = f"map-day{args.day}.png" if args.command == "map" else "animation.gif"
    out: Path = args.out or folder / default
    suffixes = (".png", ".svg", ".pdf") if args.command == "map" else (".gif",)
    if out.suffix.lower() not in suffixes:
        raise ConfigError("--out", str(out), "a file name ending " + " or ".join(suffixes))
    if args.command == "animate" and args.fps <= 0:
        raise ConfigError("--fps", args.fps, "a number of frames per second > 0")
    if args.command == "animate" and args.every is not None and args.every < 1:
        raise ConfigError("--every", args.every, "a whole number of days >= 1")
    run = read_run(folder)
    if not out.parent.is_dir():
        raise ConfigError("--out", str(out), "a path in an existing directory")
    if args.command == "map":
        written = [map_png(run, args.day, out, args.replication)]
    else:
        written = Animation(run, args.replication, args.every).save(out, args.fps)
    sys.stdout.write("".join(f"{p}\n" for p in written))
    return 0


def _progress(total: int, disabled: bool, initial: int = 0):
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, desc="replications", unit="rep",
                disable=disabled or None, file=sys.stderr, leave=False)
