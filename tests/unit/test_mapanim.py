"""The map of a day and the animation of a run, rendered from a real run folder: sane sizes,
not blank, coastline drawn, the disrupted port and lanes in the highlight colour during their
window and not after; the GIF has one frame per step; bad input exits 2 with one line."""

from __future__ import annotations

import shutil

import matplotlib.colors as mcolors
import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from sim import cli
from sim.run.read import read_run
from sim.views.animate import Animation
from sim.views.canvas import new_figure
from sim.views.map_figure import COAST, HIGHLIGHT, disrupted_on, draw_network, network_map

from ..conftest import require

STRIKE = (30, 40)  # measured days of the LA/LB strike in the fixture's run
DURING, AFTER = 35, 80


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array(mcolors.to_rgb(hex_colour)) * 255.0


def _share(rgb: np.ndarray, colour: str, tol: float = 18.0) -> np.ndarray:
    """Mask of the pixels within ``tol`` (0..255, every channel) of ``colour``."""
    return (np.abs(rgb[..., :3].astype(float) - _rgb(colour)) <= tol).all(axis=-1)


def _png(path) -> np.ndarray:
    return (mpimg.imread(path)[..., :3] * 255.0).round()


def _around(mask: np.ndarray, fig, ax, xy, r: int = 14) -> int:
    """How many masked pixels lie within ``r`` pixels of data point ``xy`` of ``ax``."""
    x, y = ax.transData.transform(xy)
    row, col = int(round(fig.bbox.height - y)), int(round(x))
    return int(mask[max(row - r, 0) : row + r + 1, max(col - r, 0) : col + r + 1].sum())


def _canvas(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    assert (
        cli.main(
            [
                "run",
                "scenario=la_lb_strike",
                "experiment=quick",
                "experiment.horizon_days=120",
                "experiment.replications=1",
                f"disruption.scripted.strike.start={STRIKE[0]}",
                f"out_dir={out}",
                "--no-progress",
            ]
        )
        == 0
    )
    (run_dir,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    return run_dir


@pytest.fixture(scope="module")
def run(folder):
    return read_run(folder)


def test_run_folder_reads_back(run):
    assert run.scenario.name == "la_lb_strike" and run.replications == [0]
    w = run.windows(0)
    assert list(w["target"]) == ["PORT_LALB"] and (w["start"].iloc[0], w["end"].iloc[0]) == STRIKE


def test_map_png_from_the_cli_highlights_the_strike_only_during_it(folder, tmp_path, capsys):
    pics = {}
    for day in (DURING, AFTER):
        out = tmp_path / f"map{day}.png"
        assert cli.main(["map", str(folder), "--day", str(day), "--out", str(out)]) == 0
        assert capsys.readouterr().out.strip() == str(out)
        pics[day] = _png(out)
    assert not list(tmp_path.glob(".*"))  # no temporary file left
    for img in pics.values():
        assert img.shape[0] >= 500 and img.shape[1] >= 1000
        assert len(np.unique(img.reshape(-1, 3)[::7], axis=0)) > 200  # not blank
        assert _share(img, COAST, tol=6).sum() > 2000  # the coastline is drawn
    assert _share(pics[DURING], HIGHLIGHT).sum() > 100  # the ring at LA/LB and in the legend
    assert _share(pics[AFTER], HIGHLIGHT).sum() == 0


def test_disrupted_port_and_lanes_drawn_in_highlight_colour_where_they_are(run):
    sc, plan = run.scenario, run.plan
    w = run.windows(0)
    lalb = next((n.lon % 360.0, n.lat) for n in sc.network.nodes if n.id == "PORT_LALB")
    counts = {}
    for day in (DURING, AFTER):
        fig = network_map(sc, plan, disrupted_on(sc.network, w, day))
        counts[day] = _around(_share(_canvas(fig), HIGHLIGHT), fig, fig.axes[0], lalb)
    assert counts[DURING] > 40 and counts[AFTER] == 0
    # a carrier's failure reddens its lanes: look at the middle of one of them
    gemini = pd.DataFrame(
        {"kind": ["carrier_failure"], "target": ["Gemini"], "start": [0.0], "end": [5.0]}
    )
    lane = next(ln for ln in sc.network.lanes if ln.carrier == "Gemini" and ln.mode.value == "sea")
    fig = new_figure(12, 6.4)
    art = draw_network(fig.subplots(), sc, plan, disrupted_on(sc.network, gemini, 2))
    line = art.lanes[lane.id][0]
    xy = line.get_xydata()
    mid = (xy[0] + xy[-1]) / 2.0  # a sea lane without a via is one straight segment
    assert len(xy) == 2 and line.get_color() == HIGHLIGHT
    assert _around(_share(_canvas(fig), HIGHLIGHT), fig, art.ax, mid, r=3) > 3


def test_animation_frames_change_and_show_the_strike_only_while_on(run):
    anim = Animation(run, every=5)
    assert anim.days == list(range(0, 120, 5))
    ax = anim.map.ax
    lalb = anim.map.pos["PORT_LALB"]
    frames = {d: anim.frame(d) for d in (0, DURING, AFTER)}
    for f in frames.values():
        assert f.shape == (608, 880, 3) and len(np.unique(f.reshape(-1, 3), axis=0)) > 200
    assert (frames[0] != frames[AFTER]).any(axis=-1).sum() > 50  # cursor, stock, queues move
    near = {d: _around(_share(f, HIGHLIGHT), anim.fig, ax, lalb) for d, f in frames.items()}
    assert near[DURING] > 40 and near[0] == 0 and near[AFTER] == 0
    # the same day drawn twice gives the same pixels (nothing left over from other frames)
    assert np.array_equal(anim.frame(AFTER), frames[AFTER])


def test_gif_has_one_frame_per_step(folder, tmp_path, capsys):
    out = tmp_path / "strike.gif"
    assert cli.main(["animate", str(folder), "--every", "10", "--fps", "5", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    assert printed[0] == str(out)
    with Image.open(out) as gif:
        assert gif.n_frames == 12 and gif.size == (880, 608)
        assert gif.info["duration"] == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["strike.gif"] + (["strike.mp4"] if shutil.which("ffmpeg") else [])
    )


def test_mp4_beside_the_gif_when_ffmpeg_is_present(run, tmp_path):
    require("ffmpeg", "ffmpeg")
    anim = Animation(run, every=20)
    written = anim.save(tmp_path / "a.gif", fps=4)
    assert [p.name for p in written] == ["a.gif", "a.mp4"]
    assert (tmp_path / "a.mp4").stat().st_size > 1000


@pytest.mark.parametrize(
    "args, key",
    [
        (["animate", "{tmp}/nowhere"], "RUN_FOLDER"),
        (["map", "{tmp}", "--day", "3"], "RUN_FOLDER"),
        (["map", "{run}", "--day", "500"], "--day"),
        (["map", "{run}", "--day", "-1"], "--day"),
        (["animate", "{run}", "--replication", "7"], "--replication"),
        (["animate", "{run}", "--out", "{tmp}/a.mp4"], "--out"),
        (["animate", "{run}", "--out", "{tmp}/no/such/dir/a.gif"], "--out"),
        (["animate", "{run}", "--every", "0"], "--every"),
        (["animate", "{run}", "--fps", "0"], "--fps"),
    ],
)
def test_bad_input_one_line_exit_2(folder, tmp_path, capsys, args, key):
    argv = [a.format(tmp=tmp_path, run=folder) for a in args]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and key in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
    assert not [p for p in folder.iterdir() if p.suffix in (".gif", ".mp4", ".png")]
