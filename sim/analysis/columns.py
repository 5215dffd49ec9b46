"""The columns of ``kpis.parquet``: every KPI of a replication and its unit."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from . import kpis, resilience

KPI_COLUMNS: tuple[str, ...] = (*kpis.KPI_NAMES, *resilience.NAMES)
KPI_UNITS: dict[str, str] = {**kpis.UNITS, **resilience.UNITS}


def reported(columns: Iterable[str], has_orders: bool) -> list[str]:
    """The KPI columns among ``columns`` a summary shows: the customer-order KPIs only when
    demand came as orders (they are empty otherwise)."""
    present = set(columns)
    return [c for c in KPI_COLUMNS if c in present and (has_orders or c not in kpis.ORDER_NAMES)]


def kpis_shown(table: pd.DataFrame) -> list[str]:
    """:func:`reported` for a table of KPI rows (orders: some order KPI is not empty)."""
    orders = kpis.ORDER_NAMES[0] in table and bool(table[kpis.ORDER_NAMES[0]].notna().any())
    return reported(table.columns, orders)
