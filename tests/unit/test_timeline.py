"""The timeline figure renders, is not blank, and shades the disruption window."""

from __future__ import annotations

import matplotlib.image as mpimg
import numpy as np

from sim.run.experiment import run_experiment
from sim.views.timeline import _SHADE, timeline

from ..conftest import scenario


def _share(img: np.ndarray, hex_colour: str, alpha: float) -> float:
    """Share of pixels of ``hex_colour`` blended at ``alpha`` over the white background."""
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    blended = alpha * rgb + (1 - alpha) * 1.0
    return float((np.abs(img[..., :3] - blended).max(axis=-1) < 0.02).mean())


def test_timeline_shades_the_strike(tmp_path):
    sc, plan = scenario(
        [
            "experiment=quick",
            "scenario=la_lb_strike",
            "disruption.scripted.strike.start=30",
            "strategy.reroute=false",
        ]
    )
    res = run_experiment(sc, plan, _backend(), replications=2)
    assert not res.disruptions.empty
    fig = timeline(res.daily, res.disruptions)
    path = tmp_path / "timeline.png"
    fig.savefig(path, dpi=60)
    img = mpimg.imread(path)
    assert img.shape[0] > 300 and img.shape[1] > 400
    assert img[..., :3].std() > 0.05  # not blank
    assert _share(img, _SHADE, 0.25) > 0.01  # the window is shaded (a band, not a few pixels)


def test_timeline_without_disruptions_has_no_shade(tmp_path):
    sc, plan = scenario(["experiment=quick"])
    res = run_experiment(sc, plan, _backend(), replications=1)
    fig = timeline(res.daily, res.disruptions)
    path = tmp_path / "timeline.png"
    fig.savefig(path, dpi=60)
    assert _share(mpimg.imread(path), _SHADE, 0.25) < 0.001


def _backend() -> str:
    from sim.model import handlers

    return handlers.default_backend()
