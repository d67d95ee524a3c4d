"""Data files (taxonomies, lexicons, registries, message catalogues, trained models) shipped
with the package: every resource the code reads at run time is found through `data_path`."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """A file shipped in the package (pipeline/data/NAME): found the same way in a checkout, an
    editable install and a wheel."""
    return DATA_DIR / name


def model_path(name: str) -> Path:
    """The trained model `name` ("sections", "doctype") shipped in the package."""
    return data_path(f"models/{name}/model.json")


# libyaml's loader when PyYAML was built with it: the same safe subset, ten times faster (the
# message catalogue alone takes 0.2 s with the pure-Python loader, most of `daihoi --help`).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(name: str) -> Any:
    with data_path(name).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
