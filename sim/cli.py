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
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ripple`` console script."""
    tokens = sys.argv[1:] if argv is None else list(argv)
    # Hydra overrides (key=value, +key=value, ~key) may sit anywhere among the options:
    # take them out before argparse, which cannot mix positionals after options.
    overrides = [t for t in tokens[1:] if not t.startswith("-") and ("=" in t or
                                                                     t.startswith("~"))]
    rest = [t for t in tokens if t not in overrides]
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
    from omegaconf import OmegaConf

    from .experiment import run_experiment
    from .rundir import RunFolder
    from .store import PartStore, run_key
    from .summary import format_table

    sc, cfg, plan = _load(args.overrides)
    backend = args.backend or handlers.default_backend()
    if backend == handlers.COMPILED and not handlers.compiled_available():
        raise ConfigError("--backend", backend, "pure (the compiled handlers are not built)")
    resolved = OmegaConf.to_yaml(cfg, resolve=True)
    out_dir = Path(str(cfg.out_dir))
    # Finished replications stream to a hidden store keyed by the resolved config: rerunning
    # the same command after an interruption computes only what is missing.
    store = PartStore(out_dir / f".partial-{sc.name}-{run_key(resolved, backend)}")
    n = sc.experiment.replications
    done = len([r for r in store.done() if r < n])
    if done:
        sys.stderr.write(f"ripple: resuming: {done} of {n} replications already done\n")
    t0 = time.perf_counter()
    try:
        with _progress(n, args.no_progress, initial=done) as bar:
            result = run_experiment(sc, plan, backend, progress=bar.update, store=store)
    except KeyboardInterrupt:
        kept = len(store.done())
        sys.stderr.write(f"ripple: interrupted; {kept} finished replications kept: run the "
                         "same command again to resume\n")
        return 130
    elapsed = time.perf_counter() - t0
    folder = RunFolder.create(out_dir, sc.name)
    try:
        summary = folder.write(sc, plan, result, resolved, store)
        final = folder.commit()
    except BaseException:
        folder.discard()
        raise
    store.remove()
    sys.stdout.write(format_table(summary) + "\n")
    sys.stdout.write(f"{n} replications ({n - done} run now) in {elapsed:.1f} s "
                     f"({backend} handlers); report: {final / 'report.html'}\n")
    sys.stdout.write(f"{final}\n")
    return 0


def _compare(args: argparse.Namespace) -> int:
    import pandas as pd
    from omegaconf import OmegaConf

    from .compare import paired, per_strategy
    from .experiment import KPI_COLUMNS, KPI_UNITS, run_experiment
    from .explore import write_explore
    from .rundir import RunFolder
    from .summary import format_paired

    names = [s.strip() for s in args.strategies.split(",") if s.strip()]
    if len(names) < 2 or len(set(names)) != len(names):
        raise ConfigError("--strategies", args.strategies, "two or more different strategies")
    baseline = args.baseline or names[0]
    if baseline not in names:
        raise ConfigError("--baseline", baseline, "one of --strategies: " + ", ".join(names))
    if any(o.split("=")[0].lstrip("+") == "strategy" for o in args.overrides):
        raise ConfigError("strategy", "override", "strategies chosen with --strategies")
    loaded = [(n, *_load([*args.overrides, f"strategy={n}"])) for n in names]
    backend = args.backend or handlers.default_backend()
    sc0, cfg0 = loaded[0][1], loaded[0][2]
    folder = RunFolder.create(Path(str(cfg0.out_dir)), f"compare-{sc0.name}")
    try:
        t0 = time.perf_counter()
        kpis, daily, waits, disruptions = [], [], [], []
        with _progress(len(names) * sc0.experiment.replications, args.no_progress) as bar:
            for name, sc, _cfg, plan in loaded:
                res = run_experiment(sc, plan, backend, progress=bar.update)
                kpis.append(res.kpis.assign(strategy=name))
                daily.append(res.daily.assign(strategy=name))
                waits.append(res.waits.assign(strategy=name))
                disruptions.append(res.disruptions.assign(strategy=name))
        elapsed = time.perf_counter() - t0
        all_kpis = pd.concat(kpis, ignore_index=True)
        cols = list(KPI_COLUMNS)
        summary = per_strategy(all_kpis, cols, KPI_UNITS)
        diffs = paired(all_kpis, baseline, cols)
        d = folder.tmp
        (d / "config.yaml").write_text(OmegaConf.to_yaml(cfg0, resolve=True))
        all_kpis.to_parquet(d / "kpis.parquet", index=False)
        pd.concat(daily, ignore_index=True).to_parquet(d / "daily.parquet", index=False)
        pd.concat(waits, ignore_index=True).to_parquet(d / "waits.parquet", index=False)
        pd.concat(disruptions, ignore_index=True).to_parquet(d / "disruptions.parquet",
                                                             index=False)
        summary.to_csv(d / "summary.csv", index=False)
        diffs.to_csv(d / "paired.csv", index=False)
        write_explore(d, sc=sc0)
        final = folder.commit()
    except BaseException:
        folder.discard()
        raise
    sys.stdout.write(format_paired(diffs, KPI_UNITS) + "\n")
    sys.stdout.write(f"{len(names)} strategies x {sc0.experiment.replications} replications on "
                     f"common random numbers in {elapsed:.1f} s ({backend} handlers)\n")
    sys.stdout.write(f"{final}\n")
    return 0


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
