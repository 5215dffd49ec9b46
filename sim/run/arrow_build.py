"""Arrow arrays from numpy arrays and lists of text, built from their buffers.

``pyarrow.array`` asks pandas about any value it is given, and so imports it: some 75 MiB in a
worker process that otherwise never needs pandas. These build the same arrays directly."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def numbers(v: np.ndarray) -> pa.Array:
    """``v`` (integers or floats) as an Arrow array, NaN as null: what ``pa.array(v,
    from_pandas=True)`` makes."""
    v = np.ascontiguousarray(v)
    valid, nulls = None, 0
    if v.dtype.kind == "f":
        ok = ~np.isnan(v)
        nulls = v.size - int(ok.sum())
        if nulls:
            valid = pa.py_buffer(np.packbits(ok, bitorder="little"))
    return pa.Array.from_buffers(
        pa.from_numpy_dtype(v.dtype), v.size, [valid, pa.py_buffer(v)], null_count=nulls
    )


def text(values: Sequence[str], large: bool = False) -> pa.Array:
    """``values`` as an Arrow ``string`` array (``large_string`` with ``large``)."""
    data = [s.encode() for s in values]
    offsets = np.zeros(len(data) + 1, np.int64 if large else np.int32)
    np.cumsum([len(b) for b in data], out=offsets[1:])
    return pa.Array.from_buffers(
        pa.large_string() if large else pa.string(),
        len(data),
        [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))],
    )
