"""Every KPI and event count of the check configurations, on both builds.

Twelve configurations: eight with demand as units per SKU, four as customer orders.

A refactor proves itself by unchanged numbers: run this before and after and compare.

    python tools/fingerprint.py --out before.json              # record
    python tools/fingerprint.py --check before.json            # compare, exit 1 on a difference

Floats are written with ``repr`` (17 significant digits), so equal files mean equal bits.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

CONFIGS: dict[str, list[str]] = {
    "default": [],
    "la_lb_strike": ["scenario=la_lb_strike"],
    "forward_fc_ecommerce": ["strategy=forward_fc", "demand=ecommerce"],
    "direct": ["strategy=direct"],
    "hybrid": ["strategy=hybrid_by_size"],
    "source_hub_sS": ["strategy=source_hub", "policy=sS"],
    "suez": ["scenario=suez_2021"],
    "lost_sales": ["policy=lost_sales"],
    "orders_hybrid_whole": [
        "strategy=hybrid_by_size",
        "demand.orders.enabled=true",
        "demand.orders.lines_mean=2.5",
        "demand.orders.affinity=0.5",
        "strategy.basket=whole",
        "scenario=la_lb_strike",
    ],
    "orders_channels_lost": [
        "strategy=separate_channels",
        "demand=negbin",
        "policy=lost_sales",
        "demand.orders.enabled=true",
        "demand.orders.basket=geometric",
        "demand.orders.lines_mean=1.8",
    ],
    "orders_pooled_channels": [
        "strategy=pooled_multichannel",
        "demand.orders.enabled=true",
        "demand.orders.lines_mean=2",
    ],
    "orders_direct_surge": [
        "strategy=direct",
        "scenario=peak_surge_2021",
        "demand.orders.enabled=true",
        "demand.orders.basket=fixed",
        "demand.orders.lines_mean=3",
    ],
}
REPLICATIONS = 2


def fingerprint(backends: list[str]) -> dict:
    """{config: {backend: [{kpi: value, ..., "events": n} per replication]}}."""
    from sim import api

    out: dict = {}
    for name, overrides in CONFIGS.items():
        out[name] = {}
        for backend in backends:
            reps = api.replicate(overrides, range(REPLICATIONS), backend=backend)
            out[name][backend] = [
                {
                    **{k: _plain(v) for k, v in r.kpis.items()},
                    "events": r.events,
                    "tables": _digest(r),
                }
                for r in reps
            ]
    return out


def _digest(r) -> str:
    """A digest of the replication's daily, waits and disruptions tables (values and labels)."""
    import hashlib

    import pandas as pd

    h = hashlib.sha256()
    for t in (r.daily, r.waits, r.disruptions):
        h.update(pd.util.hash_pandas_object(t, index=False).to_numpy().tobytes())
        h.update(",".join(map(str, t.columns)).encode())
    return h.hexdigest()[:16]


def _plain(v: float) -> float | str:
    v = float(v)
    return repr(v) if math.isnan(v) or math.isinf(v) else v


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--check", type=Path)
    ap.add_argument("--backends", default="compiled,pure")
    a = ap.parse_args()
    got = fingerprint(a.backends.split(","))
    if a.out:
        a.out.write_text(json.dumps(got, indent=1, sort_keys=True))
    if a.check:
        want = json.loads(a.check.read_text())
        bad = 0
        for cfg, per in got.items():
            for backend, reps in per.items():
                for i, (g, w) in enumerate(zip(reps, want[cfg][backend])):
                    for k in sorted(set(g) | set(w)):
                        if g.get(k) != w.get(k):
                            bad += 1
                            sys.stdout.write(
                                f"{cfg} {backend} rep {i} {k}: {w.get(k)!r} -> {g.get(k)!r}\n"
                            )
        sys.stdout.write(
            f"{'same numbers' if not bad else f'{bad} differences'} ({len(got)} configurations)\n"
        )
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
