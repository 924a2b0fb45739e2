"""Real Airflow for the DAG tests: a throwaway AIRFLOW_HOME, set before Airflow is first imported."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DAGS_FOLDER = Path(__file__).resolve().parent.parent
REPOSITORY = DAGS_FOLDER.parent

os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="pinterest-airflow-")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS_FOLDER)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
# The tests choose the DAGs' settings file themselves; one left by a developer must not leak in.
os.environ.pop("PINTEREST_PIPELINE_SETTINGS", None)

import pytest  # noqa: E402
from airflow.dag_processing.dagbag import BundleDagBag  # noqa: E402


def parse_dags(settings_file: Path | None = None) -> BundleDagBag:
    """The DAG folder parsed as Airflow's DAG processor does (the folder is the bundle, on sys.path)."""
    if settings_file is not None:
        os.environ["PINTEREST_PIPELINE_SETTINGS"] = str(settings_file)
    try:
        return BundleDagBag(dag_folder=DAGS_FOLDER, bundle_path=DAGS_FOLDER)
    finally:
        os.environ.pop("PINTEREST_PIPELINE_SETTINGS", None)


@pytest.fixture(scope="session")
def dagbag() -> BundleDagBag:
    return parse_dags()
