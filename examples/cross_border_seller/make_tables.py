"""Write the sales history of the cross-border seller: two years of daily sales on two
marketplaces, as the tables a seller exports (``tables/sales/skus.csv``, ``sales.csv``,
``promotions.csv``; docs/own-supply-chain.md says what each column means).

The network tables (``tables/network/nodes.csv``, ``lanes.csv``) are written by hand and kept
in the folder; this script writes only the sales, which are drawn (seeded) from a known truth,
Ripple's own ``sim.config.sales_synth.realistic_truth`` with this seller's parameters:

- ``--skus`` SKUs (default 200) with long-tail (Zipf 1.1) popularity: the best seller sells
  about 40 units a day on Amazon.com, the 200th a unit every month or so; seven in ten are small
  electronics accessories (about 0.6 kg, made in Shenzhen), three in ten bulky home goods (about
  14 kg, made in Ho Chi Minh City);
- two marketplaces, ``amazon_us`` and ``walmart_us`` (Walmart at about a third of Amazon's
  volume, with its own mix of SKUs), half the SKUs over-dispersed (negative binomial);
- weekly patterns, a yearly season peaking before Christmas (+30% on Amazon, +20% on Walmart),
  a Prime-Day-like two-day event in July (x2.5) and Black Friday to Cyber Monday (x1.6), 10%
  growth a year and a market-wide weekly shock (CV 0.1) that correlates the SKUs;
- two years from Monday 1 January 2024 to Tuesday 30 December 2025 (730 days): Ripple simulates 2026.

Run it from anywhere: ``python make_tables.py`` writes into this folder, ``--out DIR`` into
another project folder. ``--truth`` also writes ``truth.csv``, each SKU's true base rate on
each marketplace, to compare with what ``ripple demand`` fits.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.sales import write_sales_tables
from sim.config.sales_synth import SalesTruth, draw_history, realistic_truth

HERE = Path(__file__).resolve().parent
MARKETS = ("amazon_us", "walmart_us")  # the marketplaces as the seller's export names them
START, YEARS = "2024-01-01", 2


def black_friday(year: int) -> pd.Timestamp:
    """The day after the fourth Thursday of November."""
    first = pd.Timestamp(year, 11, 1)
    thursday = first + pd.Timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thursday + pd.Timedelta(days=1)


def seller_truth(n_skus: int, seed: int) -> SalesTruth:
    """The truth the history is drawn from: ``realistic_truth`` with this seller's markets,
    volumes, catalogue values and promotion calendar."""
    rng = np.random.default_rng(seed)
    truth = realistic_truth(rng, n_skus=n_skus, start=START, years=YEARS, top_rate=40.0, zipf=1.1)
    # Walmart sells about a third of Amazon's volume (realistic_truth's second market: 0.6).
    rate = truth.rate.copy()
    rate[1] *= 0.35 / 0.6
    # Bulky SKUs each get their own value (realistic_truth gives them all one; see README).
    skus = truth.skus.copy()
    bulky = (skus["class"] == "bulky").to_numpy()
    value = rng.lognormal(np.log(90.0), 0.6, int(bulky.sum()))
    skus.loc[bulky, "unit_value"] = value.round(2)
    skus.loc[bulky, "price"] = (value * rng.uniform(1.5, 2.5, value.size)).round(2)
    # Black Friday to Cyber Monday starts the day after Thanksgiving (29 November 2024).
    promotions = truth.promotions.copy()
    bf = promotions["name"] == "black_friday"
    promotions.loc[bf, "start"] = [black_friday(d.year) for d in promotions.loc[bf, "start"]]
    return dataclasses.replace(truth, markets=MARKETS, rate=rate, skus=skus, promotions=promotions)


def main(argv: list[str] | None = None) -> Path:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=HERE, help="the project folder (default: here)")
    p.add_argument("--skus", type=int, default=200, help="SKUs in the catalogue (100 to 300)")
    p.add_argument("--seed", type=int, default=2024, help="seed of the truth and the draws")
    p.add_argument("--truth", action="store_true", help="also write tables/sales/truth.csv")
    args = p.parse_args(argv)
    if not 1 <= args.skus <= 5000:
        p.error(f"--skus {args.skus}: expected 1 to 5000")
    truth = seller_truth(args.skus, args.seed)
    tables = draw_history(truth, np.random.default_rng(args.seed + 1))
    out = write_sales_tables(tables, args.out / "tables" / "sales")
    if args.truth:
        rates = pd.DataFrame(truth.rate.T, columns=[f"rate_{m}" for m in MARKETS])
        truth_table = pd.concat([truth.skus[["sku", "class"]], rates.round(4)], axis=1)
        truth_table.assign(negbin_inv_k=truth.inv_k.round(4)).to_csv(
            out / "truth.csv", index=False
        )
    sales = tables.sales
    days = sales["date"].nunique()
    per_day = sales.groupby("market")["units"].sum() / days
    print(
        f"{out}: {len(tables.skus)} SKUs, {len(sales):,} sales rows over {days} days "
        f"({sales['date'].min():%Y-%m-%d} to {sales['date'].max():%Y-%m-%d}), units a day: "
        + ", ".join(f"{m} {v:.0f}" for m, v in per_day.items())
    )
    return out


if __name__ == "__main__":
    main()
