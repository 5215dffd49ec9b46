"""``ripple explain``: what happened in a run folder, in plain words for a class.

It reads only the folder's tables (``config.yaml``, ``kpis.parquet``, ``daily.parquet``,
``disruptions.parquet``, ``waits.parquet``) and says: the scenario and strategy; each
disruption (what, where, from which measured day and calendar date, for how long); per
warehouse when stock first ran short after it; per market the worst daily service level and
how long until service recovered; which gateway queues grew; and what it cost, with 95%
intervals across replications.

Definitions (also printed with the text):

- a warehouse *runs short* on the first measured day, from the day the disruption starts, on
  whose daily snapshot it has units on backorder (``daily.parquet`` ``backlog`` > 0);
- a market's *recovery* is the rule of the ``time_to_recover`` KPI
  (:func:`sim.analysis.resilience.recovery_day`) applied to that market's service level against
  its undisrupted level (``baseline_service_level``);
- costs and the headline resilience figures are the KPIs of ``kpis.parquet``
  (``sim/analysis/resilience.py``), against the same replications run without their disruptions.

The modules, one section each: :mod:`.words` (numbers, days and dates in words), :mod:`.group`
(the tables told from), :mod:`.windows` (the disruption windows), :mod:`.stock` (warehouses),
:mod:`.markets` (service and recovery), :mod:`.queues` (queues and waits), :mod:`.outcome`
(resilience KPIs and cost) and :mod:`.account` (the whole account).
"""

from .account import explain, explain_group
from .group import Group
from .words import Calendar, stat

__all__ = ["Calendar", "Group", "explain", "explain_group", "stat"]
