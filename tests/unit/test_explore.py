"""The data behind explore.html: disruption targets resolved to node and lane ids, day indexing
and window coverage, means over replications, strategies, the map frame, and the page."""

from __future__ import annotations

import json
import re
import sys
import types
from importlib import resources

import pandas as pd
import pytest

from sim.core.errors import ConfigError
from sim.model import handlers
from sim.run.replication import run_replication
from sim.views.explore import explore_data, realized_windows, write_explore
from sim.views.explore_map import layout
from sim.views.explore_page import render

from ..conftest import scenario


@pytest.fixture(scope="module")
def transpacific():
    return scenario(["experiment=quick"])[0]


def _daily(reps=(0, 1), days=range(0, 4), strategy=None, bump=0.0):
    """A hand-made daily table: one warehouse, one port, one market. Values depend on the
    replication and day so that the means are known."""
    rows = []
    for r in reps:
        for d in days:
            rows += [
                {
                    "replication": r,
                    "day": d,
                    "node": "WH_INLAND_EMPIRE",
                    "kind": "warehouse",
                    "on_hand": 100.0 * (r + 1) + d + bump,
                    "backlog": float(d * r),
                    "in_transit": 10.0,
                },
                {
                    "replication": r,
                    "day": d,
                    "node": "PORT_LALB",
                    "kind": "port",
                    "queue": float(r + d),
                },
                {
                    "replication": r,
                    "day": d,
                    "node": "MKT_WEST",
                    "kind": "market",
                    "demand": 10.0,
                    "shipped": 10.0 - r - (d == 2),
                    "service_level": (10.0 - r - (d == 2)) / 10.0,
                },
            ]
    df = pd.DataFrame(rows)
    return df if strategy is None else df.assign(strategy=strategy)


def _windows(rows):
    return pd.DataFrame(rows, columns=["replication", "kind", "target", "start", "end", "label"])


def test_means_totals_and_window_coverage(transpacific):
    dis = _windows(
        [
            (0, "port_strike", "PORT_LALB", 1.0, 2.0, "strike"),
            (1, "port_strike", "PORT_LALB", 1.0, 2.0, "strike"),
            (1, "carrier_failure", "Gemini", 1.5, 2.5, "Gemini stops"),
        ]
    )
    data = explore_data(transpacific, _daily(), dis)
    assert data["days"] == [0, 3] and data["strategies"] == ["overseas_warehouse"]
    s = data["series"]["overseas_warehouse"]
    assert s["nodes"]["WH_INLAND_EMPIRE"]["on_hand"] == [150.0, 151.0, 152.0, 153.0]
    assert s["nodes"]["PORT_LALB"]["queue"] == [0.5, 1.5, 2.5, 3.5]
    assert s["nodes"]["MKT_WEST"]["service_level"] == [0.95, 0.95, 0.85, 0.95]
    assert s["total"]["backlog"] == [0.0, 0.5, 1.0, 1.5]
    assert s["total"]["service_level"] == [0.95, 0.95, 0.85, 0.95]
    assert data["replications"] == {"overseas_warehouse": 2}
    # [1, 2) covers day 1 only; [1.5, 2.5) covers days 1 and 2, in one of two replications
    hot = data["disrupted"]["overseas_warehouse"]
    assert hot["PORT_LALB"] == [0.0, 1.0, 0.0, 0.0]
    gemini = [ln.id for ln in transpacific.network.lanes if ln.carrier == "Gemini"]
    for lane in gemini:
        assert hot[lane] == [0.0, 0.5, 0.5, 0.0]
    assert set(hot) == {"PORT_LALB", *gemini}
    w = {x["label"]: x for x in data["windows"]["overseas_warehouse"]}
    assert w["strike"]["share"] == 1.0 and w["strike"]["nodes"] == ["PORT_LALB"]
    assert w["Gemini stops"]["share"] == 0.5 and sorted(w["Gemini stops"]["lanes"]) == sorted(
        gemini
    )
    assert data["windows"]["overseas_warehouse"][0]["label"] == "strike"  # most frequent first


def test_one_replication_and_day_offset(transpacific):
    daily = _daily(days=range(5, 9))
    dis = _windows(
        [
            (0, "port_strike", "PORT_LALB", 7.0, 20.0, "strike"),
            (1, "port_strike", "PORT_LALB", 0.0, 5.0, "before"),
        ]
    )
    data = explore_data(transpacific, daily, dis, replication=1)
    assert data["days"] == [5, 8] and data["replication"] == 1
    s = data["series"]["overseas_warehouse"]["nodes"]
    assert s["WH_INLAND_EMPIRE"]["on_hand"] == [205.0, 206.0, 207.0, 208.0]
    # replication 0's strike is not in replication 1; the other window ends before day 5
    assert data["disrupted"]["overseas_warehouse"] == {}
    assert data["windows"]["overseas_warehouse"] == []
    with pytest.raises(ConfigError, match="--replication"):
        explore_data(transpacific, daily, dis, replication=4)


def test_strategies_with_and_without_their_own_windows(transpacific):
    daily = pd.concat([_daily(strategy="A"), _daily(strategy="B", bump=7.0)])
    shared = _windows([(0, "port_strike", "PORT_LALB", 2.0, 3.0, "strike")])
    data = explore_data(transpacific, daily, shared)
    assert data["strategies"] == ["A", "B"]
    a = data["series"]["A"]["nodes"]["WH_INLAND_EMPIRE"]["on_hand"]
    b = data["series"]["B"]["nodes"]["WH_INLAND_EMPIRE"]["on_hand"]
    assert [y - x for x, y in zip(a, b)] == [7.0] * 4
    for s in "AB":  # a table without a strategy column applies to every strategy
        assert data["disrupted"][s]["PORT_LALB"] == [0.0, 0.0, 0.5, 0.0]
    own = pd.concat(
        [
            shared.assign(strategy="A"),
            _windows([(1, "port_strike", "PORT_OAKLAND", 0.0, 1.0, "oak")]).assign(strategy="B"),
        ]
    )
    data = explore_data(transpacific, daily, own)
    assert set(data["disrupted"]["A"]) == {"PORT_LALB"}
    assert data["disrupted"]["B"] == {"PORT_OAKLAND": [0.5, 0.0, 0.0, 0.0]}


def test_windows_drawn_again_match_the_model():
    """A folder without disruptions.parquet (a compare folder) gets its windows drawn again
    from the config: the same as those the model faced."""
    sc, plan = scenario(
        [
            "experiment=quick",
            "+disruption.random.s.kind=port_strike",
            "+disruption.random.s.targets=[PORT_LALB,PORT_OAKLAND]",
            "+disruption.random.s.rate_per_year=6",
            "+disruption.random.s.duration.dist=exponential",
            "+disruption.random.s.duration.mean=4",
        ]
    )
    backend = handlers.default_backend()
    recorded = pd.concat([run_replication(sc, plan, r, backend).disruptions for r in (0, 1)])
    again = realized_windows(sc, [0, 1])
    assert len(again) >= 2
    cols = ["replication", "kind", "target", "start", "end", "label"]
    pd.testing.assert_frame_equal(
        again[cols].reset_index(drop=True), recorded[cols].reset_index(drop=True)
    )


def test_map_is_pacific_centred_with_coastline_when_available(transpacific, monkeypatch):
    fake = types.ModuleType("sim.views.geo")
    seen = {}

    def coastline_polylines(bbox, pacific):
        seen["args"] = (bbox, pacific)
        return [[(bbox[0], bbox[1]), (bbox[2], bbox[3])], [(200.0, 30.0)]]

    fake.coastline_polylines = coastline_polylines
    monkeypatch.setitem(sys.modules, "sim.views.geo", fake)
    m = layout(transpacific.network)
    assert m["pacific"] and seen["args"][1] is True
    lo, hi = seen["args"][0][0], seen["args"][0][2]
    assert lo < 106.7 and hi > -74.4 % 360  # Vietnam to New Jersey, east across the Pacific
    xy = m["nodes"]
    assert xy["PORT_SHANGHAI"][0] < xy["PORT_LALB"][0] < xy["WH_EDISON"][0]
    assert xy["PORT_SEATAC"][1] < xy["PORT_LALB"][1]  # north is up
    assert 0 <= min(p[0] for p in xy.values()) and max(p[0] for p in xy.values()) <= m["width"]
    assert m["height"] >= 0.4 * m["width"]
    assert m["coast"] == [f"M0.0 {m['height']:.1f}L{m['width']:.1f} 0.0"]  # 1-point line dropped
    monkeypatch.setitem(sys.modules, "sim.views.geo", None)  # not installed: no coastline
    assert layout(transpacific.network)["coast"] == []


def test_page_is_self_contained_and_carries_the_data(transpacific):
    daily = pd.concat([_daily(strategy="A"), _daily(strategy="B")])
    data = explore_data(transpacific, daily, _windows([]))
    page = render(data)
    m = re.search(r"<script type='application/json' id='ripple-data'>(.*?)</script>", page, re.S)
    assert json.loads(m.group(1)) == json.loads(json.dumps(data))
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for fetching in ("<link", " src=", "fetch(", "XMLHttpRequest", "import(", "url("):
        assert fetching not in page, fetching
    assert "<input type='range' id='day' min='0' max='3'" in page
    assert "<select id='strategy'>" in page
    assert "<select id='strategy'>" not in render(
        explore_data(transpacific, _daily(), _windows([]))
    )


def test_page_inlines_the_shipped_style_and_script(transpacific):
    """explore.css and explore.js are package data (sim/views/static/), inlined whole."""
    page = render(explore_data(transpacific, _daily(), _windows([])))
    static = resources.files("sim.views") / "static"
    for name, tag in (("explore.css", "style"), ("explore.js", "script")):
        text = (static / name).read_text(encoding="utf-8")
        assert f"<{tag}>\n{text}</{tag}>" in page, name
        assert f"</{tag}" not in text, name  # it would end the inline block early


def test_write_explore_reads_a_folder(tmp_path, monkeypatch):
    """From a folder's files: the first REPORT_SAMPLE replications (here 2 of 3) or the one
    asked for, the windows of disruptions.parquet, and a page renamed into place."""
    from omegaconf import OmegaConf

    import sim.views.explore
    from sim.config.compose import load

    _, cfg = load(["experiment=quick"])
    (tmp_path / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True))
    _daily(reps=(0, 1, 2)).to_parquet(tmp_path / "daily.parquet")
    pd.DataFrame({"replication": [0, 1, 2]}).to_parquet(tmp_path / "kpis.parquet")
    _windows(
        [
            (2, "port_strike", "PORT_LALB", 0.0, 1.0, "late"),
            (0, "port_strike", "PORT_LALB", 1.0, 2.0, "early"),
        ]
    ).to_parquet(tmp_path / "disruptions.parquet")
    monkeypatch.setattr(sim.views.explore, "REPORT_SAMPLE", 2)

    def shown(page):
        m = re.search(r"id='ripple-data'>(.*?)</script>", page.read_text(), re.S)
        return json.loads(m.group(1))

    data = shown(write_explore(tmp_path))
    assert data["replications"] == {"overseas_warehouse": 2}
    assert data["of_replications"] == {"overseas_warehouse": 3}
    assert data["series"]["overseas_warehouse"]["nodes"]["PORT_LALB"]["queue"][0] == 0.5
    assert [w["label"] for w in data["windows"]["overseas_warehouse"]] == ["early"]
    assert "mean of the first 2 of 3 replications" in (tmp_path / "explore.html").read_text()
    data = shown(write_explore(tmp_path, replication=2))
    assert data["series"]["overseas_warehouse"]["nodes"]["PORT_LALB"]["queue"][0] == 2.0
    assert [w["label"] for w in data["windows"]["overseas_warehouse"]] == ["late"]
    pd.DataFrame().to_parquet(tmp_path / "disruptions.parquet")  # no windows, no columns
    assert shown(write_explore(tmp_path))["disrupted"] == {"overseas_warehouse": {}}
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "config.yaml",
        "daily.parquet",
        "disruptions.parquet",
        "explore.html",
        "kpis.parquet",
    ]


def test_write_explore_bad_folders(tmp_path):
    with pytest.raises(ConfigError, match="RUN_FOLDER"):
        write_explore(tmp_path / "missing")
    (tmp_path / "daily.parquet").write_text("not parquet")
    (tmp_path / "config.yaml").write_text("network: {}\n")
    with pytest.raises(ConfigError, match="daily.parquet"):
        write_explore(tmp_path)
    _daily().to_parquet(tmp_path / "daily.parquet")
    (tmp_path / "config.yaml").write_text("seed: 1\n")
    with pytest.raises(ConfigError, match="config.yaml"):
        write_explore(tmp_path)
    assert not (tmp_path / "explore.html").exists()
