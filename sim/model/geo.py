"""Distance over the Earth's surface, for ships diverted from a closed port: the great-circle
(haversine) distance between two ports and the days it takes to sail."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0
SEA_KM_PER_DAY = 800.0  # about 18 knots


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def sailing_days(km: float) -> float:
    """Days a ship takes to sail ``km`` at :data:`SEA_KM_PER_DAY`."""
    return km / SEA_KM_PER_DAY
