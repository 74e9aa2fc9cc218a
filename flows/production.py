"""The deployment's pull step: run a flow run in the checkout of the newsetl that runs it.

`prefect.yaml` names `flows.production.use_checkout` as its pull step instead of a path: the
worker's interpreter imports this module from the checkout it was installed from (the
editable install `uv sync` makes), so a deployment made in one clone runs in whichever clone
the worker was started from, and relative `raw`/`out` parameters are relative to it.
"""

from __future__ import annotations

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]


def use_checkout() -> dict[str, str]:
    """Change to the checkout this package is installed from; returns it as `directory`
    (the output `set_working_directory` gives, for later steps)."""
    if not (CHECKOUT / "prefect.yaml").is_file():
        raise RuntimeError(
            f"newsetl is installed from {CHECKOUT}, not a checkout (no prefect.yaml there): "
            "start the worker with the .venv/bin/prefect of a checkout set up by `uv sync`"
        )
    os.chdir(CHECKOUT)
    return {"directory": str(CHECKOUT)}
