"""How much common random numbers remove: the LA/LB strike at several capacity factors, each
paired replication by replication with the default scenario (its twin's draws), against the
spread between replications.

    python tools/crn_spread.py [--replications 30] [--factors 0,0.5,0.8,0.95]

Prints, per factor, the mean and standard deviation of the paired difference of fill rate and
total cost, and the ratio of the between-replication SD to the paired SD.
"""

from __future__ import annotations

import argparse
import sys
import tempfile

import numpy as np

from sim import api


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--factors", default="0,0.5,0.8,0.95")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as out:
        common = [f"experiment.replications={a.replications}", f"out_dir={out}"]
        base = api.run(common).kpis.sort_values("replication")
        for cf in (float(f) for f in a.factors.split(",")):
            strike = ["scenario=la_lb_strike", f"disruption.scripted.strike.capacity_factor={cf}"]
            k = api.run([*common, *strike]).kpis.sort_values("replication")
            parts = []
            for col in ("fill_rate", "total_cost"):
                d = k[col].to_numpy() - base[col].to_numpy()
                sd, between = d.std(ddof=1), k[col].std(ddof=1)
                ratio = between / sd if sd > 0 else np.inf
                parts.append(
                    f"{col} diff {d.mean():.4g} sd {sd:.4g} (between {between:.4g}, x{ratio:.1f})"
                )
            loss = (k["performance_loss"] >= 0).mean()
            line = f"capacity_factor {cf:g}: " + "; ".join(parts) + f"; loss >= 0 in {loss:.0%}"
            sys.stdout.write(line + "\n")


if __name__ == "__main__":
    main()
