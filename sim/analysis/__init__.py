"""Pure functions over what a replication recorded: the KPIs, the resilience measures against
the undisrupted twin, summary statistics and paired comparisons of strategies.

May import :mod:`sim.model` (its records) and the layers below it.
"""
