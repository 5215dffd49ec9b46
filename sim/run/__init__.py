"""Replications at scale: one replication to tidy tables, experiments on serial, process and
Dask executors, the durable store, sequential stopping, run folders (written and read back),
and the grid and gathering of sweeps.

May import :mod:`sim.analysis` and the layers below it.
"""
