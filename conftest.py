"""pytest configuration shared by the unit tests and nbval."""

from __future__ import annotations

import pytest


def pytest_collectstart(collector):
    """nbval: never compare stderr (tqdm progress bars, warnings)."""
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("stderr",)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a test that takes more than about 10 s")


@pytest.fixture(autouse=True)
def _fresh_records():
    """Every test starts and ends with an empty ``utils.RECORDS`` (no test passes on another's
    leftovers)."""
    import utils

    utils.RECORDS.clear()
    yield
    utils.RECORDS.clear()


@pytest.fixture(scope="session")
def dask_address():
    """One local Dask cluster of two one-thread worker processes for the whole session."""
    from distributed import LocalCluster

    with LocalCluster(
        host="127.0.0.1",
        protocol="tcp",
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    ) as cluster:
        yield cluster.scheduler_address
