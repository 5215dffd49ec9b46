"""A project folder of one's own supply chain (``ripple init DIR``): its primary config, a
network as tables to edit, a scenario of its own, and a README saying what goes where.

The starter network is the default trans-Pacific one written out as tables: the project runs as
it is, and each row is there to be changed to the user's own nodes and lanes.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..config import compose
from ..config.paths import PROJECT_FILE, use_project
from ..config.table_writer import write_network
from ..core.errors import ConfigError
from .scenario import load

CONFIG = """\
# Ripple project "{name}": `ripple run`, `compare`, `sweep` and `validate` in this folder use
# this config (from elsewhere: --project {folder}). Each group folder here (network/, demand/,
# policy/, strategy/, experiment/, scenarios/) adds options to Ripple's own and replaces one of
# the same name; Ripple's built-in options stay available (policy=sS, strategy=forward_fc,
# scenario=la_lb_strike, ...). Paths are relative to this folder.
defaults:
  - ripple_schema
  - network: {name}
  - demand: consumer_goods
  - policy: base_stock
  - strategy: overseas_warehouse
  - disruption: none
  - experiment: default
  - _self_

seed: 1
scenario: default
out_dir: results

# Demand from your own sales history instead of demand/consumer_goods' classes: a folder (or
# .xlsx workbook) of skus.csv, sales.csv and promotions.csv (docs/own-supply-chain.md), each of
# the network's markets mapped to a market of the sales table. `ripple demand` shows the fit.
# demand:
#   history:
#     path: tables/sales
#     mode: fitted        # or replay: whole historical weeks, resampled within the season
#     markets: {{MKT_WEST: US, MKT_CENTRAL: US, MKT_EAST: EU}}
"""

NETWORK = """\
# The network of project "{name}": its nodes and lanes are the tables in tables/network/
# (nodes.csv, lanes.csv; an .xlsx workbook or a .graphml file works too: point `tables` at it).
# The columns, their units and defaults: docs/own-supply-chain.md, or the `columns` sheet of
# `ripple network export --template --out columns.xlsx`.
name: {name}
description: "{name}: edit tables/network/ to your own factories, ports, warehouses and markets"
tables: tables/network
"""

SCENARIO = """\
# @package _global_
# A 14-day strike at the ports of Los Angeles / Long Beach from 1 October (an example: copy
# it, point it at your own port, run it with `ripple run scenario=port_strike`).
scenario: port_strike
disruption:
  name: port_strike
  description: 14-day strike at the first port of entry
  scripted:
    strike: {kind: port_strike, target: PORT_LALB, start: 273, duration: 14,
             label: Port strike}
"""

README = """\
# {name}: a Ripple project

    ripple validate                  # check the config and the tables, run nothing
    ripple run                       # the default year; report under results/
    ripple run scenario=port_strike  # your own scenario (scenarios/port_strike.yaml)
    ripple compare scenario=port_strike   # every strategy the network supports, paired
    ripple demand                    # the demand fitted to your sales history (see ripple.yaml)

| path | what it holds |
|---|---|
| `ripple.yaml` | the project's config: which network, demand, policy, strategy |
| `network/{name}.yaml` | the network, read from `tables/network/` |
| `tables/network/nodes.csv` | a row per factory, port, customs office, warehouse, market |
| `tables/network/lanes.csv` | a row per lane between two nodes |
| `tables/network/stock.csv` | (optional) a row per warehouse whose stock policy differs |
| `scenarios/` | your own what-if scenarios (overlays, like Ripple's curated ones) |
| `results/` | where runs write |

The starter tables are Ripple's default trans-Pacific network: change the rows to your own.
Every column, with its unit and default: docs/own-supply-chain.md. A worked example with
a sales history: examples/cross_border_seller in Ripple's repository.
"""

HEADERS = {
    "nodes": "# Nodes: one row a node. Required: id, kind (factory, port, customs, warehouse, hub,"
    " fc, market).\n# Every other column may be left out or empty (its default). Units: "
    "docs/own-supply-chain.md.\n",
    "lanes": "# Lanes: one row a directed lane. Required: src, dst, mode (sea, air, rail, road, "
    "parcel).\n# Every other column may be left out or empty (its default). Units: "
    "docs/own-supply-chain.md.\n",
}


def init_project(folder: Path | str, name: str | None = None) -> Path:
    """Write a starter project into ``folder`` (new, or empty) and check that it loads;
    ``name`` (default: the folder's name) names its network."""
    folder = Path(folder)
    name = name or re.sub(r"[^a-z0-9_]+", "_", folder.resolve().name.lower()).strip("_")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name or ""):
        raise ConfigError("--name", name, "a name of letters, digits and _ (starting a letter)")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConfigError("DIR", str(folder), "a new or empty folder for the project")
    tables = folder / "tables" / "network"
    try:
        for d in (tables, folder / "network", folder / "scenarios"):
            d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            "DIR", str(folder), f"a folder that can be made ({exc.strerror})"
        ) from None
    with use_project(None):  # Ripple's own default network, whatever folder this runs in
        starter = compose.load([])[0].network
    write_network(starter, tables)
    for table, header in HEADERS.items():
        f = tables / f"{table}.csv"
        f.write_text(header + f.read_text())
    (folder / PROJECT_FILE).write_text(CONFIG.format(name=name, folder=folder))
    (folder / "network" / f"{name}.yaml").write_text(NETWORK.format(name=name))
    (folder / "scenarios" / "port_strike.yaml").write_text(SCENARIO)
    (folder / "README.md").write_text(README.format(name=name))
    load([], project=folder)  # it must run as written
    return folder
