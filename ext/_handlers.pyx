# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Compiled hot handlers: the per-event and per-SKU work of a replication.

The pure-Python twin is ``sim/model/twin/``: same names, same results bit for bit. Built by
setup.py into ``sim.model._handlers``; chosen in one place, :mod:`sim.model.handlers`.
"""

import heapq

import numpy as np
cimport numpy as cnp
from libc.math cimport ceil
from simpy.events import NORMAL as _NORMAL
from simpy.events import URGENT as _URGENT
from simpy.events import Event as _Event

cnp.import_array()

BACKEND = "compiled"

ctypedef long long i64
ctypedef int i32


# One extension module (the classes type each other's fields); its source by concept:
include "sampling.pxi"  # Sampler, Log, Level, poisson_inversion
include "keyed.pxi"  # Keyed, mix, combine, time_key
include "stock.pxi"  # Stock, split, total, add, sub
include "ledger.pxi"  # dot, Ledger, Dispatch, Pool
include "engine.pxi"  # after, start, Slots, ShipCalls, run, queues
include "freight.pxi"  # Sailings, Freight
include "ship.pxi"  # Shipment
