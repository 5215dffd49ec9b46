# The event machinery the model drives: frame-free timeouts, FIFO slots, other carriers'
# ship calls, the run loop and the daily queue snapshot.


cdef object _heappush = heapq.heappush
cdef object _heappop = heapq.heappop


cdef class _Wake:
    """An event built without Python frames, its fields in C rather than an attribute
    dictionary: a timeout (triggered when it is scheduled) or a slot request (pending until a
    release schedules it). SimPy's loop and :func:`run` process it as they do a ``Timeout``;
    a process may wait for it."""

    cdef public object env
    cdef public list callbacks
    cdef public object _value
    cdef public bint _ok


cdef inline _Wake _wake(object env, list callbacks, bint ok):
    """A :class:`_Wake` with ``callbacks``, triggered (``ok``) or pending."""
    cdef _Wake ev = _Wake.__new__(_Wake)
    ev.env = env
    ev.callbacks = callbacks
    ev._ok = ok
    return ev


cdef inline void _push(object env, object at, int priority, object ev):
    """Put ``ev`` on SimPy's queue at time ``at`` with ``priority`` and the next event id (what
    ``env.schedule`` does)."""
    _heappush(env._queue, (at, priority, next(env._eid), ev))


cdef inline _Wake _schedule(object env, object at, int priority, object callback):
    """A triggered :class:`_Wake` calling ``callback``, on SimPy's queue at ``at``."""
    cdef _Wake ev = _wake(env, [callback], True)
    _push(env, at, priority, ev)
    return ev


cdef _Wake _after(object env, double delay, object callback):
    """A timeout of ``delay`` calling ``callback``: the queue entry ``env.timeout(delay)``
    makes (same time, priority and id)."""
    return _schedule(env, env._now + delay, _NORMAL, callback)


def after(env, double delay, callback, int priority=_NORMAL):
    """A timeout of ``delay`` that calls ``callback`` (the event), processed among the events of
    its instant by ``priority`` (SimPy's, or the model's LATE)."""
    return _schedule(env, env._now + delay, priority, callback)


cdef _Wake _start(object env, object callback):
    """An event at ``now``, before the instant's normal events, calling ``callback``: what
    starting a SimPy process schedules (same time, priority and id)."""
    return _schedule(env, env._now + 0, _URGENT, callback)


def start(env, callback):
    """An event at ``now``, before the instant's normal events, calling ``callback``: what
    starting a SimPy process schedules."""
    return _start(env, callback)


cdef class Slots:
    """``capacity`` slots (berths, customs officers, a production line) shared first come,
    first served, lower ``priority`` first. A request granted at once returns an event SimPy has
    already processed, so the requester goes on without a trip through the event queue; a
    release schedules an event only when it wakes a waiter."""

    cdef readonly object env
    cdef public Py_ssize_t capacity
    cdef public Py_ssize_t count
    cdef readonly list queue
    cdef i64 _seq
    cdef object _granted

    def __init__(self, env, Py_ssize_t capacity):
        self.env = env
        self.capacity = capacity
        self.count = 0
        self.queue = []
        self._seq = 0
        granted = _Event(env)  # an event already processed: yielding it does not wait
        granted._ok = True
        granted._value = None
        granted.callbacks = None
        self._granted = granted

    cpdef object request(self, int priority=0):
        """An event that fires when a slot is the caller's (at once when one is free)."""
        if self.count < self.capacity:
            self.count += 1
            return self._granted
        cdef _Wake ev = _wake(self.env, [], False)  # pending until a release wakes it
        _heappush(self.queue, (priority, self._seq, ev))
        self._seq += 1
        return ev

    cpdef void release(self):
        """Give a slot back: to the first waiter (its event succeeds now, as ``succeed()``
        schedules it), or free."""
        cdef _Wake ev
        if self.queue:
            ev = <_Wake>_heappop(self.queue)[2]
            ev._ok = True
            _push(self.env, self.env._now + 0, _NORMAL, ev)
        else:
            self.count -= 1


cdef class ShipCalls:
    """Other carriers' ship calls at a port: Poisson arrivals each holding a berth for a
    service time, logged as berth waits with zero units. A chain of event callbacks, not a
    process per call: a ship call has nothing to decide. ``gate``: the port (its ``resource``
    slots, ``node``, ``active`` disruptions and ``service_factor()``)."""

    cdef object _env
    cdef Slots _slots
    cdef Log _waits
    cdef object _gate
    cdef double _node
    cdef double _cause
    cdef Sampler _inter
    cdef Sampler _service

    def __init__(self, env, gate, Log waits, int cause, Sampler interarrival,
                 Sampler service):
        self._env = env
        self._gate = gate
        self._slots = gate.resource
        self._waits = waits
        self._node = gate.node
        self._cause = cause
        self._inter = interarrival
        self._service = service
        _after(env, interarrival.next(), self._arrive)

    def _arrive(self, _ev):
        _after(self._env, self._inter.next(), self._arrive)
        req = self._slots.request(0)
        cdef double t0 = self._env._now
        cdef double service = self._service.next()
        if req.callbacks is None:  # a berth was free
            self._berth(t0, service)
        else:
            req.callbacks.append(lambda _r: self._berth(t0, service))

    cdef void _berth(self, double t0, double service):
        cdef double now = self._env._now
        self._waits.add(t0, self._node, self._cause, now - t0, 0)
        gate = self._gate
        cdef double factor = gate.service_factor() if gate.active else 1.0
        _after(self._env, service * factor, self._release)

    def _release(self, _ev):
        self._slots.release()


def run(env, until):
    """Run ``env`` until time ``until``: what ``env.run(until=until)`` does (the same stop event
    and event ids, events processed in the same order, the clock left at ``until``), with the
    loop and the callback dispatch in C instead of a Python call per event."""
    at = until if isinstance(until, int) else float(until)
    if at <= env._now:
        raise ValueError(f"until ({at}) must be greater than the current simulation time")
    t_stop = env._now + (at - env._now)  # the time SimPy's stop event gets
    cdef object eid_stop = next(env._eid)  # SimPy's stop event takes the next id
    cdef list queue = env._queue
    cdef tuple item
    cdef _Wake wake
    while queue:
        item = <tuple>queue[0]
        if item[0] > t_stop or (item[0] == t_stop and (item[1] > 0 or item[2] > eid_stop)):
            break
        _heappop(queue)
        env._now = item[0]
        event = item[3]
        if type(event) is _Wake:  # the model's own timeouts: fields read in C
            wake = <_Wake>event
            callbacks = wake.callbacks
            wake.callbacks = None
            for callback in callbacks:
                callback(event)
            continue
        callbacks = event.callbacks
        event.callbacks = None
        for callback in callbacks:
            callback(event)
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc
    env._now = t_stop
    next(env._eid)  # SimPy re-schedules its stop event when it stops, taking one more id


def queues(table, Py_ssize_t day, list slots):
    """Write into row ``day`` of ``table`` the requests waiting or served at each of ``slots``."""
    cdef i64[:, ::1] tab = table
    cdef Slots s
    cdef Py_ssize_t k = 0
    for s in slots:
        tab[day, k] = len(s.queue) + s.count
        k += 1
