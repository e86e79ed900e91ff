"""Shared fixtures: the sample data folder, and a clean matplotlib/random state for every test."""

from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(autouse=True)
def _clean_state():
    """Close figures and seed randomness, as seaborn's test suite does."""
    import matplotlib.pyplot as plt

    np.random.seed(0)
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample():
    from workforce_lib import load_dataset

    return load_dataset(SAMPLE)


@pytest.fixture(scope="session")
def published():
    """DfE's published indicators file, as the workbench loads it."""
    from workforce_lib import dfe

    return dfe.load_dfe_indicators(ROOT / "data" / "dfe" / "csww_indicators_2017_to_2025.csv")


@pytest.fixture(scope="session")
def groupings():
    """DfE's statistical neighbour groupings (April 2021)."""
    from workforce_lib import dfe

    return dfe.load_neighbours(ROOT / "data" / "dfe" / "New_Statistical_Neighbour_Groupings_April_2021.csv")
