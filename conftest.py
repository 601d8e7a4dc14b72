"""pytest configuration shared by the unit tests and nbval."""

from __future__ import annotations


def pytest_collectstart(collector):
    """nbval: never compare stderr (tqdm progress bars, warnings)."""
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)
