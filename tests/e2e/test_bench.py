"""The benchmark script runs and prints its table (figures are not asserted: timing belongs to
the benchmark, not to tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sim.config.synthetic import SIZES, network_config
from sim.config.validate import scenario_from_mapping
from sim.plan import make_plan

ROOT = Path(__file__).resolve().parents[2]


def test_bench_prints_a_table(tmp_path):
    csv = tmp_path / "b.csv"
    p = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench.py"),
            "--reps",
            "1",
            "--sizes",
            "default",
            "--csv",
            str(csv),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert "bare SimPy timeouts" in p.stdout and "default  compiled" in p.stdout
    assert "compiled is" in p.stdout and csv.read_text().startswith("size,build")


def test_synthetic_sizes_validate():
    for name, kw in SIZES.items():
        sc = scenario_from_mapping(network_config(**kw))
        plan = make_plan(sc)
        assert len(plan.markets) == kw["markets"] and len(sc.demand.skus) == kw["skus"], name
    assert 180 <= len(scenario_from_mapping(network_config(**SIZES["large"])).network.nodes) <= 220
