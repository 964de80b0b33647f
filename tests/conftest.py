"""Shared fixtures for the unit tests of dlbook."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture
def shared_data() -> Path:
    """The offline data folder (``$DLBOOK_DATA``), or skip when it is not configured."""
    value = os.environ.get("DLBOOK_DATA")
    if not value or not Path(value).is_dir():
        pytest.skip("DLBOOK_DATA does not point at a data folder")
    return Path(value)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
