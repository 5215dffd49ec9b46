"""What a run folder shows a person: its story in plain words, a map of one day, an animation,
the interactive explore page, and the network map of a loaded scenario."""

from __future__ import annotations

import math
from collections.abc import Collection
from pathlib import Path

from matplotlib.figure import Figure

from ..core.errors import ConfigError
from ..run.read import check_folder, read_run
from ..views import animate as anim
from ..views import explain as expl
from ..views import explore as expo
from ..views.map_figure import network_map as draw_network_map
from .results import Loaded
from .scenario import Scenarioish, loaded


def explain(folder: Path | str, replication: int | None = None, strategy: str | None = None) -> str:
    """What happened in a run or compare folder, in plain words (``ripple explain``)."""
    return expl.explain(folder, replication, strategy)


def _out(out: Path | str | None, default: Path, suffixes: tuple[str, ...]) -> Path:
    path = Path(out) if out is not None else default
    if path.suffix.lower() not in suffixes:
        raise ConfigError("--out", str(path), "a file name ending " + " or ".join(suffixes))
    return path


def _parent(out: Path) -> None:
    if not out.parent.is_dir():
        raise ConfigError("--out", str(out), "a path in an existing directory")


def draw_map(
    folder: Path | str, day: int, out: Path | str | None = None, replication: int | None = None
) -> Path:
    """The network of a run folder on measured ``day``, disrupted nodes and lanes in red, as a
    PNG, SVG or PDF (default ``FOLDER/map-dayN.png``)."""
    folder = Path(folder)
    path = _out(out, folder / f"map-day{day}.png", (".png", ".svg", ".pdf"))
    run = read_run(folder)
    _parent(path)
    return anim.map_png(run, day, path, replication)


def animate(
    folder: Path | str,
    out: Path | str | None = None,
    fps: float = 8.0,
    every: int | None = None,
    replication: int | None = None,
) -> list[Path]:
    """Animate one replication of a run folder day by day: a GIF (default
    ``FOLDER/animation.gif``) and, when ffmpeg is on PATH, an MP4 beside it."""
    folder = Path(folder)
    path = _out(out, folder / "animation.gif", (".gif",))
    if not (fps > 0 and math.isfinite(fps)):
        raise ConfigError("--fps", fps, "a finite number of frames per second > 0")
    if every is not None and every < 1:
        raise ConfigError("--every", every, "a whole number of days >= 1")
    run = read_run(folder)
    _parent(path)
    return anim.Animation(run, replication, every).save(path, fps)


def explore(folder: Path | str, replication: int | None = None) -> Path:
    """(Re)write ``explore.html``, the interactive day-by-day page, in a run or compare
    folder (showing one replication, or the mean of all)."""
    check_folder(folder, "a folder written by 'ripple run' or 'ripple compare'")
    return expo.write_explore(folder, replication)


def network_map(what: Scenarioish | Loaded, highlight: Collection[str] | None = None) -> Figure:
    """The scenario's network on a map, the plan's lanes solid, ``highlight`` ids in red."""
    ld = loaded(what)
    return draw_network_map(ld.scenario, ld.plan, highlight)
