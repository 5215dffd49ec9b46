"""An animation of one replication of a run: the network map with warehouse stock and gateway
queues by day, disrupted nodes and lanes in red while their window is on, and a timeline below
(service level and warehouse stock) with a cursor advancing. Also the still map of one day.

The still parts are drawn once; each frame draws what changes over them (blitting on the Agg
canvas). The GIF is written with Pillow, an MP4 beside it by ``ffmpeg`` (fed the same raw
frames) when it is on PATH. Files appear whole or not at all.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from ..run.read import RunData, check_day, check_replication
from .canvas import new_figure
from .daily_figures import METRIC_COLOURS
from .map_figure import HIGHLIGHT, disrupted_on, draw_network, label_nodes, map_legend, network_map

log = logging.getLogger(__name__)

QUEUE_COLOUR = "#f77f00"
MAX_AREA = 1400.0  # points^2 of the largest stock or queue disc
AUTO_FRAMES = 150  # the default step keeps a run to about this many frames


def _atomic(out: Path, write: Callable[[Path], None]) -> Path:
    """``write`` a hidden temporary file beside ``out`` (same suffix), then rename it."""
    tmp = out.with_name(f".{out.stem}.tmp{out.suffix}")
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def map_png(run: RunData, day: int, out: Path, replication: int | None = None) -> Path:
    """The map with the nodes and lanes disrupted on ``day`` (of ``replication``, default
    the first) highlighted, as a PNG."""
    rep = check_replication(run, replication)
    day = check_day(run, day)
    sc = run.scenario
    windows = run.windows(rep)
    hot = disrupted_on(sc.network, windows, day)
    on = windows[(windows["start"] < day + 1) & (windows["end"] > day)]
    what = ", ".join(dict.fromkeys(on["label"].astype(str))) or "no disruption"
    fig = network_map(
        sc,
        run.plan,
        hot,
        title=f"{sc.network.name}, measured day {day} (replication {rep}): {what}",
    )
    return _atomic(out, lambda p: fig.savefig(p, dpi=100))


class Animation:
    """The figure of one replication, redrawn for any measured day by :meth:`show`."""

    def __init__(
        self,
        run: RunData,
        replication: int | None = None,
        every: int | None = None,
        dpi: float = 80.0,
    ) -> None:
        self.run = run
        self.rep = check_replication(run, replication)
        daily = run.daily[run.daily["replication"] == self.rep]
        last = int(daily["day"].max())
        if every is None:
            every = max(1, math.ceil((last + 1) / AUTO_FRAMES))
        self.days = list(range(0, last + 1, every))
        self.windows = run.windows(self.rep)
        self.hot = {d: disrupted_on(run.scenario.network, self.windows, d) for d in self.days}
        self._levels(daily)
        self.fig = self._figure(daily, dpi)

    # -- data ---------------------------------------------------------------------------------
    def _levels(self, daily: pd.DataFrame) -> None:
        """Per node and day: warehouse on-hand units and gateway queues, as disc areas."""

        def table(kinds: list[str], col: str) -> pd.DataFrame:
            d = daily[daily["kind"].isin(kinds)]
            return d.pivot_table(index="day", columns="node", values=col, aggfunc="mean")

        self.stock = table(["warehouse"], "on_hand").fillna(0.0)
        self.queue = table(["port", "customs"], "queue").fillna(0.0)
        self.stock_max = max(float(self.stock.to_numpy().max(initial=0.0)), 1.0)
        self.queue_max = max(float(self.queue.to_numpy().max(initial=0.0)), 1.0)
        m = daily[daily["kind"] == "market"].groupby("day")[["shipped", "demand"]].sum()
        self.service = (m["shipped"] / m["demand"].where(m["demand"] > 0)).rename("service")
        self.totals = (
            daily[daily["kind"] == "warehouse"].groupby("day")[["on_hand", "backlog"]].sum()
        )

    # -- figure -------------------------------------------------------------------------------
    def _figure(self, daily: pd.DataFrame, dpi: float) -> Figure:
        sc = self.run.scenario
        fig = new_figure(11, 7.6)
        fig.set_dpi(dpi)
        ax, tl = fig.subplots(2, 1, height_ratios=[3.2, 1.0])
        self.map = draw_network(ax, sc, self.run.plan)
        pos = self.map.pos
        self.stock_xy = np.array([pos[n] for n in self.stock.columns]).reshape(-1, 2)
        self.queue_xy = np.array([pos[n] for n in self.queue.columns]).reshape(-1, 2)
        self.stock_art = ax.scatter(
            self.stock_xy[:, 0],
            self.stock_xy[:, 1],
            s=0.0,
            color=METRIC_COLOURS["on_hand"],
            alpha=0.35,
            lw=0,
            zorder=1.6,
        )
        self.queue_art = ax.scatter(
            self.queue_xy[:, 0],
            self.queue_xy[:, 1],
            s=0.0,
            color=QUEUE_COLOUR,
            alpha=0.4,
            lw=0,
            zorder=1.5,
        )
        handles = map_legend(sc, True)
        handles += [
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                markersize=11,
                alpha=0.35,
                mew=0,
                color=METRIC_COLOURS["on_hand"],
                label=f"on hand (area; max {self.stock_max:,.0f})",
            ),
            Line2D(
                [],
                [],
                ls="none",
                marker="o",
                markersize=11,
                alpha=0.4,
                mew=0,
                color=QUEUE_COLOUR,
                label=f"queue (area; max {self.queue_max:,.0f})",
            ),
        ]
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=7.5,
            framealpha=0.95,
            borderaxespad=0.0,
        )
        self.title = ax.set_title(" ", fontsize=10, loc="left")

        tl.plot(
            self.service.index,
            self.service.to_numpy(),
            color="#023047",
            lw=1.1,
            label="service level (all markets)",
        )
        tl.set_ylim(0, 1.04)
        tl.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        tl.set_ylabel("service", fontsize=8)
        tl.tick_params(labelsize=7.5)
        tw = tl.twinx()
        for col in ("on_hand", "backlog"):
            tw.plot(
                self.totals.index,
                self.totals[col].to_numpy(),
                color=METRIC_COLOURS[col],
                lw=1.0,
                label=f"{col.replace('_', ' ')}, all warehouses",
            )
        tw.set_ylabel("units", fontsize=8)
        tw.tick_params(labelsize=7.5)
        for start, end in zip(self.windows["start"], self.windows["end"]):
            tl.axvspan(start, end, color="#f4a261", alpha=0.3, lw=0)
        tl.set_xlim(0, max(self.days[-1], 1))
        tl.set_xlabel("measured day (disruption windows shaded)", fontsize=8)
        lines = tl.get_lines() + tw.get_lines()
        tl.legend(
            lines,
            [ln.get_label() for ln in lines],
            loc="upper left",
            fontsize=7.5,
            bbox_to_anchor=(1.07, 1.0),
            framealpha=0.95,
            borderaxespad=0.0,
        )
        self.cursor = tl.axvline(0, color="#222222", lw=1.2, zorder=5)
        fig.canvas.draw()  # settle the layout, then freeze it: frames keep the same geometry
        fig.set_layout_engine("none")
        label_nodes(fig, ax, sc, self.run.plan, pos)
        # What changes by day is drawn over a still background each frame (blitting).
        for a in (self.stock_art, self.queue_art, self.map.rings, self.cursor, self.title):
            a.set_animated(True)
        fig.canvas.draw()
        agg: Any = fig.canvas  # the Agg canvas: it can blit
        self._background = agg.copy_from_bbox(fig.bbox)
        return fig

    def show(self, day: int) -> None:
        """Restyle the figure for measured ``day``."""
        hot = self.hot.get(day)
        if hot is None:
            hot = disrupted_on(self.run.scenario.network, self.windows, day)
        self.map.highlight(hot)
        self._hot = hot
        stock = self.stock.reindex([day]).fillna(0.0).to_numpy()[0] if len(self.stock) else []
        queue = self.queue.reindex([day]).fillna(0.0).to_numpy()[0] if len(self.queue) else []
        self.stock_art.set_sizes(MAX_AREA * np.asarray(stock, dtype=float) / self.stock_max)
        self.queue_art.set_sizes(MAX_AREA * np.asarray(queue, dtype=float) / self.queue_max)
        self.cursor.set_xdata([day, day])
        w = self.windows
        on = w[(w["start"] < day + 1) & (w["end"] > day)]
        labels = ", ".join(dict.fromkeys(on["label"].astype(str)))
        self.title.set_text(
            f"{self.run.scenario.name}: measured day {day} "
            f"(replication {self.rep})" + (f"  |  disrupted: {labels}" if labels else "")
        )
        self.title.set_color(HIGHLIGHT if labels else "#1d2433")

    def frame(self, day: int) -> np.ndarray:
        """The RGB pixels (height x width x 3) of ``day``'s frame."""
        self.show(day)
        canvas: Any = self.fig.canvas  # the Agg canvas: it can blit
        fig = self.fig
        canvas.restore_region(self._background)
        hot = [line for lid, (line, _) in self.map.lanes.items() if lid in self._hot]
        for a in (self.queue_art, self.stock_art, *hot, self.map.rings, self.cursor, self.title):
            fig.draw_artist(a)
        return np.asarray(canvas.buffer_rgba())[..., :3].copy()

    # -- files --------------------------------------------------------------------------------
    def save(self, out: Path, fps: float = 8.0, mp4: bool | None = None) -> list[Path]:
        """Write the GIF ``out`` and, when ffmpeg is on PATH (or ``mp4`` says so), an MP4
        beside it; the paths written. Each frame is drawn once for both."""
        from PIL import Image

        ffmpeg = shutil.which("ffmpeg")
        mp4 = ffmpeg is not None if mp4 is None else mp4
        if mp4 and ffmpeg is None:
            raise FileNotFoundError("ffmpeg is not on PATH")
        video = out.with_suffix(".mp4")
        tmp_video = video.with_name(f".{video.stem}.tmp.mp4")
        proc = None
        frames = []
        try:
            for i, day in enumerate(self.days):
                rgb = self.frame(day)
                if mp4 and proc is None:
                    proc = _ffmpeg(str(ffmpeg), rgb.shape[1], rgb.shape[0], fps, tmp_video)
                if proc is not None:
                    assert proc.stdin is not None
                    proc.stdin.write(rgb.tobytes())
                frames.append(
                    Image.fromarray(rgb).quantize(
                        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
                    )
                )
                log.debug("frame %d of %d (day %d)", i + 1, len(self.days), day)
            if proc is not None:
                _close(proc)
                proc = None
            written = [
                _atomic(
                    out,
                    lambda p: frames[0].save(
                        p,
                        format="GIF",
                        save_all=True,
                        append_images=frames[1:],
                        duration=round(1000.0 / fps),
                        loop=0,
                    ),
                )
            ]
            if mp4:
                os.replace(tmp_video, video)
                written.append(video)
            return written
        finally:
            if proc is not None:
                proc.kill()
                proc.wait()
            tmp_video.unlink(missing_ok=True)


def _ffmpeg(exe: str, width: int, height: int, fps: float, path: Path) -> subprocess.Popen:
    """An ffmpeg process encoding raw RGB frames from its stdin into an H.264 MP4."""
    cmd = [
        exe,
        "-y",
        "-loglevel",
        "error",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{width}x{height}",
        "-r",
        f"{fps:g}",
        "-i",
        "-",
        "-vf",
        "pad=ceil(iw/2)*2:ceil(ih/2)*2",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-f",
        "mp4",
        str(path),
    ]
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)


def _close(proc: subprocess.Popen) -> None:
    """Finish the encoding; an ffmpeg failure is an error naming its first line."""
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.close()
    err = proc.stderr.read().decode(errors="replace").strip()
    if proc.wait() != 0:
        raise RuntimeError(
            "ffmpeg failed: " + (err.splitlines()[0] if err else f"exit status {proc.returncode}")
        )
