"""Distances between coarse scan places: great-circle distance and a small table of region centroids.

Scans carry either rounded coordinates (the browser's consented location) or only a region
code (from a trusted proxy header). For region-only scans we use the centroid of the region,
which is rough; the impossible-travel rule's minimum distance keeps that roughness harmless.
Regions not in the table have no position, and the rule then stays silent rather than guess.
"""

from __future__ import annotations

import math

from trace.domain.scan import ScanPlace

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius

# (latitude, longitude) of population-weighted centres, rounded to 0.1 degree. ISO 3166-1
# alpha-2 codes, and ISO 3166-2 codes for the Chinese provinces where most scans happen.
CENTROIDS: dict[str, tuple[float, float]] = {
    "CN": (34.3, 108.9), "CN-11": (39.9, 116.4), "CN-31": (31.2, 121.5), "CN-44": (23.1, 113.3),
    "CN-33": (30.3, 120.2), "CN-32": (32.1, 118.8), "CN-51": (30.7, 104.1), "CN-50": (29.6, 106.5),
    "HK": (22.3, 114.2), "MO": (22.2, 113.5), "TW": (25.0, 121.5), "JP": (35.7, 139.7), "KR": (37.6, 127.0),
    "SG": (1.3, 103.8), "MY": (3.1, 101.7), "TH": (13.8, 100.5), "VN": (21.0, 105.8), "IN": (28.6, 77.2),
    "AU": (-33.9, 151.2), "NZ": (-36.8, 174.8), "US": (39.8, -98.6), "CA": (43.7, -79.4), "GB": (51.5, -0.1),
    "DE": (50.1, 8.7), "FR": (48.9, 2.4), "IT": (41.9, 12.5), "ES": (40.4, -3.7), "NL": (52.4, 4.9),
    "RU": (55.8, 37.6), "AE": (25.2, 55.3), "BR": (-23.6, -46.6),
}


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def position(place: ScanPlace) -> tuple[float, float] | None:
    """Coordinates when given, else the centroid of the region (or of its country), else None."""
    if place.latitude is not None and place.longitude is not None:
        return (place.latitude, place.longitude)
    if place.region:
        region = place.region.upper()
        return CENTROIDS.get(region) or CENTROIDS.get(region.split("-", 1)[0])
    return None


def within(region: str, market: str) -> bool:
    """True when ``region`` is ``market`` or a subdivision of it (``CN-31`` is within ``CN``)."""
    region, market = region.upper(), market.upper()
    return region == market or region.startswith(market + "-")
