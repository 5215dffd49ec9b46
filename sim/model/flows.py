"""How goods move: production, shipments along their legs, gateway visits and deliveries along
routes of several legs (other carriers' ships at a port are the handlers' ``ShipCalls``).

The shipments are the handlers' ``Freight`` and ``Shipment`` (``ext/ship.pxi``, pure twin
``sim/twin/ship.py``): each is a chain of event callbacks rather than a SimPy process, which
schedules the events a process doing the same would, in the same order. What a shipment does:

- **Production** (an order from the policy, or an expedite): it queues for the factory's line,
  then takes a set-up time plus ``units / (capacity x rate factor)`` days, and leaves for its
  warehouse along the supply's legs.
- **Each leg**: before it, the shipment looks at what the network shows. A closed lane, or a
  closed port or customs office at the lane's far end, makes it take another route when the
  strategy reroutes, or wait for the lane's reopening (a closed gateway with no other way is
  sailed to and queued at). It then waits for the lane's next departure with room; where that
  has less room than the shipment, the shipment is split and the rest goes on as its own
  shipment. It pays the lane's freight, may be lost (the lane's loss probability), and rides.
- **The voyage**: if the lane is suspended meanwhile, the shipment takes the parallel open lane
  when the strategy reroutes (arriving later by the difference of the two lanes' mean transits:
  it diverts at once), or waits for the reopening and then sails the rest. When the closure is
  of the lane's chokepoint (``via:NAME``) and the lane says where it passes it (``via_at`` >
  0), a ship already past the chokepoint sails on, and one before it that waits sails on to the
  chokepoint and waits there (so the ships held there leave together when it reopens).
- **A gateway**: a ship arriving at a port closed by a strike diverts to the nearest open port
  of the same region (when the strategy reroutes). It queues for a berth or customs officer and
  is served; at customs it pays fee and duty and may be inspected and held; a customs hold of
  its SKU class stops it before the queue.
- **Arrival**: put away at the warehouse (through its dock when it has a put-away limit).
- **A delivery along several legs** (cross-border parcels, the hub's air freight and customs
  entry) is never split or lost and waits out closures; on arrival it is recorded against the
  order's promise and may bring customer returns.

Every wait is logged with its :class:`~sim.enums.Cause`, every payment with its
:class:`~sim.enums.CostComponent`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

Proc = Generator[simpy.Event, Any, None]  # a SimPy process's generator
