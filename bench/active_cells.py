"""What a catalogue of the same volume asks of any SKU-level inventory model: the expected number
of (SKU, market) and (SKU, pool) pairs with at least one sale a day, against the SKUs.

    python bench/active_cells.py [--skus 1000,2000,5000,10000] [--pools 40]

The points are those of ``bench/catalogue.py`` (the large network at the ``large`` size's units a
day, Zipf ``--popularity`` over the SKUs), at seasonality 1. A pair with a sale is stock a model
must touch that day; lines (units) stay the same at every size. ``--pools``: the markets split
into that many consecutive groups, as if each group were served by one warehouse.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from sim.config.synthetic import SIZES, network_config
from sim.config.validate import scenario_from_mapping


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skus", default="1000,2000,5000,10000")
    ap.add_argument("--popularity", type=float, default=SIZES["catalogue"]["popularity"])
    ap.add_argument("--pools", type=int, default=40)
    a = ap.parse_args()
    first: tuple[float, float, float] | None = None
    for skus in (int(s) for s in a.skus.split(",")):
        kw = {**SIZES["catalogue"], "skus": skus, "popularity": a.popularity}
        sc = scenario_from_mapping(network_config(**kw))
        rate = np.asarray(sc.demand.base_rate, float)
        scale = np.array([n.demand_scale for n in sc.network.nodes if n.kind == "market"])
        lam = np.outer(scale, rate)  # mean units a day, market x SKU
        groups = np.array_split(np.arange(len(scale)), a.pools)
        market = float((1 - np.exp(-lam)).sum())
        pool = float(sum((1 - np.exp(-lam[g].sum(0))).sum() for g in groups))
        row = (lam.sum(), market, pool)
        first = first or row
        sys.stdout.write(
            f"{skus:6d} SKUs: {row[0]:8,.0f} units a day; pairs with a sale a day: "
            f"(SKU, market) {market:8,.0f} ({market / first[1]:.2f}x), "
            f"(SKU, pool) {pool:8,.0f} ({pool / first[2]:.2f}x)\n"
        )


if __name__ == "__main__":
    main()
