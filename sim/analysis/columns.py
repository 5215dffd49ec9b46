"""The columns of ``kpis.parquet``: every KPI of a replication and its unit."""

from __future__ import annotations

from . import kpis, resilience

KPI_COLUMNS: tuple[str, ...] = (*kpis.KPI_NAMES, *resilience.NAMES)
KPI_UNITS: dict[str, str] = {**kpis.UNITS, **resilience.UNITS}
