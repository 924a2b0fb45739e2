"""A backfill over a date range, as Airflow's own CLI plans it for the batch DAG: one run a date, each date its ds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import DAGS_FOLDER


def airflow(*arguments: str, home: Path) -> str:
    """The Airflow CLI of this virtualenv, in its own AIRFLOW_HOME (a SQLite metadata database of its own)."""
    environment = dict(os.environ, AIRFLOW_HOME=str(home), AIRFLOW__CORE__DAGS_FOLDER=str(DAGS_FOLDER),
                       AIRFLOW__CORE__LOAD_EXAMPLES="False")
    environment.pop("PINTEREST_PIPELINE_SETTINGS", None)
    completed = subprocess.run([str(Path(sys.executable).parent / "airflow"), *arguments], env=environment,
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def test_a_backfill_over_three_dates_plans_one_run_for_each_date(tmp_path):
    airflow("db", "migrate", home=tmp_path)
    airflow("dags", "reserialize", home=tmp_path)
    planned = airflow("backfill", "create", "--dag-id", "pinterest_batch", "--from-date", "2024-05-01",
                      "--to-date", "2024-05-03", "--dry-run", home=tmp_path)
    # Each run's logical date is its ds, the --date its tasks pass to the jobs.
    assert re.findall(r"^\| (\d{4}-\d{2}-\d{2}) 00:00:00\+00:00 ", planned, re.MULTILINE) == [
        "2024-05-01", "2024-05-02", "2024-05-03"]
