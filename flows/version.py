"""`newsetl --version`: what made the tables (newsetl, its pipeline, the entity model) and
what ran it (Prefect, Python)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


class VersionAction(argparse.Action):
    """`--version`: the versions, read only when asked (the pipeline's needs pyarrow)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(version_text())
        parser.exit()


def version_text() -> str:
    """One line: newsetl's version, then the pipeline's, the entity model's, Prefect's and
    Python's."""
    from importlib.metadata import version

    from flows.nlp import model_name
    from transforms.schema import PIPELINE_VERSION

    return (
        f"newsetl {version('newsetl')} (pipeline {PIPELINE_VERSION}, entity model "
        f"{model_name()}, Prefect {version('prefect')}, Python {sys.version.split()[0]})"
    )
