"""A shipment's visit to a port or customs office: queue for a berth or officer, service,
customs fees and inspection holds (pure-Python twin of the gateway part of ``ext/ship.pxi``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.enums import Cause, CostComponent, NodeKind
from .engine import after

_CUSTOMS = NodeKind.CUSTOMS


class GatewayVisit:
    """The gateway steps of :class:`~sim.model.twin.ship.Shipment` (a mixin: the state is the
    shipment's)."""

    f: Any
    gate: Any
    customs: bool
    size_class: str
    qty: np.ndarray
    units: int
    kg: float
    leg: int
    t0: float
    t1: float
    service: float
    sid: int

    def _next_leg(self) -> None:
        raise NotImplementedError

    def _dwell(self, days: float) -> None:
        """Storage and demurrage of the goods for ``days`` waiting at the gateway."""
        gate = self.gate
        if days > 0 and gate.spec.holding_cost > 0:
            self.f.costs.add(
                self.f.env.now,
                CostComponent.DEMURRAGE,
                gate.dwell_cost(self.kg, days),
                gate.node,
                0,
            )

    def _visit_again(self, _ev: Any) -> None:
        waited = self.f.env.now - self.t0
        self.f.waits.add(self.t0, self.gate.node, Cause.CUSTOMS_STOP, waited, self.units)
        self._dwell(waited)
        self._visit()

    def _visit(self) -> None:
        gate = self.gate
        self.customs = gate.spec.kind is _CUSTOMS
        self.t0 = self.f.env.now
        if self.customs and gate.stopped_for(self.size_class):
            gate.opened(self.f.env).callbacks.append(self._visit_again)
            return
        req = gate.resource.request()
        if req.callbacks is None:
            self._served()
        else:
            req.callbacks.append(self._slot_free)

    def _slot_free(self, _ev: Any) -> None:
        self._served()

    def _served(self) -> None:
        gate, now = self.gate, self.f.env.now
        self.t1 = now
        self.f.waits.add(
            self.t0,
            gate.node,
            Cause.CUSTOMS_QUEUE if self.customs else Cause.BERTH_QUEUE,
            now - self.t0,
            self.units,
        )
        self._dwell(now - self.t0)
        self.service = gate.service.at(self.sid, gate.node) * gate.service_factor()
        after(self.f.env, self.service, self._cleared)

    def _cleared(self, _ev: Any) -> None:
        f, gate = self.f, self.gate
        spec, now = gate.spec, f.env.now
        gate.resource.release()
        f.waits.add(
            self.t1,
            gate.node,
            Cause.CUSTOMS_SERVICE if self.customs else Cause.BERTH_SERVICE,
            self.service,
            self.units,
        )
        if self.customs:
            value = f.ledger.worth(self.qty)
            f.costs.add(
                now, CostComponent.CUSTOMS, spec.customs_fee + spec.duty_rate * value, gate.node, 0
            )
            p, factor = gate.inspection(self.size_class)
            if p > 0 and gate.inspect_u.uniform(self.sid, gate.node) < p:
                self.t0 = now
                self.service = gate.hold.at(self.sid, gate.node) * factor
                after(f.env, self.service, self._held)
                return
        elif spec.handling_cost > 0:
            f.costs.add(now, CostComponent.HANDLING, spec.handling_cost * self.units, gate.node, 0)
        self.leg += 1
        self._next_leg()

    def _held(self, _ev: Any) -> None:
        self.f.waits.add(self.t0, self.gate.node, Cause.INSPECTION_HOLD, self.service, self.units)
        self._dwell(self.service)
        self.leg += 1
        self._next_leg()
