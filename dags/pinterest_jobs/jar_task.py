"""The one factory for a task that runs a main class of the job jar on Databricks, and the settings it reads.

Settings come from ``pinterest_pipeline.json`` beside the DAG files, which ``./pipeline deploy --env ENV``
writes for the environment (or from the file named by ``PINTEREST_PIPELINE_SETTINGS``); without it, from
``defaults.json`` beside this file (``DEFAULTS``). Reading those small local files is the only thing done when a DAG file is parsed: no
Airflow Variable, connection or network call happens at import time.

At run time, Airflow Variables override what the file says, without a redeploy (rendered by Jinja when a task
runs, through ``var.value.get(name, default)``):

- ``pinterest_jar``: the jar, e.g. to roll back to an earlier versioned upload;
- ``pinterest_env``: the ``--env`` the jobs load their settings for;
- ``pinterest_databricks_conn_id``: the Airflow connection to the workspace;
- ``pinterest_existing_cluster_id``: the all-purpose cluster, when the settings name one.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from airflow.providers.databricks.operators.databricks import DatabricksSubmitRunOperator

from pinterest_jobs.catalog import JOBS_PACKAGE

SETTINGS_FILE = "pinterest_pipeline.json"
SETTINGS_ENV_VAR = "PINTEREST_PIPELINE_SETTINGS"

# What the DAGs run with when nobody deployed, declared once in ``defaults.json`` beside this file (the toolkit's
# deploy settings default to the same values, read from the same file):
#
# - ``env``, ``jar``: the jobs' --env, and the jar uploaded by hand, as docs/operations.md's "Upload the jar" shows;
# - ``databricks_conn_id``, ``polling_period_seconds``: the Airflow connection to the workspace, how often to poll;
# - ``landing_delay_minutes``: how long after a day ends its batch run starts. The S3 sink closes the day's last file up
#   to 10 minutes after midnight (rotate.schedule.interval.ms in conf/msk-connect/s3-sink.properties) plus the
#   connector's lag. 0 means no wait: for local runs of a day that is not over yet;
# - ``retries``: a failed Databricks run is tried again this many times, five minutes apart (a spot node lost, a
#   throttled API); the local end-to-end runs use 0, so that a failure shows at once;
# - ``cluster``: a job cluster per task on Databricks Runtime 17.3 LTS (Spark 4.0.0, Scala 2.13), the runtime the jar
#   is built for; or ``{"existing_cluster_id": ...}``.
DEFAULTS_FILE = Path(__file__).resolve().parent / "defaults.json"
DEFAULTS: dict[str, Any] = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def load_settings(path: str | os.PathLike | None = None) -> dict[str, Any]:
    """The DAGs' settings: the file deploy wrote (or ``path``) over ``DEFAULTS``; a missing file means defaults.

    A file that is not a JSON object of known settings is an error that names it (and for bad JSON, where): the DAG
    files then fail to import, which Airflow shows, rather than run with settings nobody wrote.
    """
    if path is None:
        path = os.environ.get(SETTINGS_ENV_VAR) or Path(__file__).resolve().parent.parent / SETTINGS_FILE
    settings = dict(DEFAULTS)
    if Path(path).is_file():
        try:
            written = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
        if not isinstance(written, dict):
            raise ValueError(f"{path}: must hold a JSON object of settings, not {type(written).__name__}")
        unknown = set(written) - set(DEFAULTS)
        if unknown:
            raise ValueError(f"{path}: unknown settings {sorted(unknown)} (known: {sorted(DEFAULTS)})")
        settings.update(written)
    cluster = settings["cluster"]
    if len(cluster) != 1 or not ({"new_cluster", "existing_cluster_id"} & set(cluster)):
        raise ValueError(f"{path}: cluster must hold exactly one of new_cluster or existing_cluster_id, got {cluster}")
    return settings


def default_args(settings: dict[str, Any]) -> dict[str, Any]:
    """Every task's owner and retries: a failed run is submitted again, five minutes later."""
    return {"owner": "data-engineering", "retries": settings["retries"], "retry_delay": timedelta(minutes=5)}


def variable(name: str, default: Any) -> str:
    """A Jinja expression for Airflow Variable ``name``, ``default`` when it is not set; rendered at run time."""
    return "{{ var.value.get(%s, %s) }}" % (json.dumps(name), json.dumps(str(default)))


def jar_task(task_id: str, main_class: str, parameters: list[str], settings: dict[str, Any]) -> DatabricksSubmitRunOperator:
    """A task that runs ``main_class`` of the job jar with ``--env <env>`` and ``parameters`` on a Databricks run.

    ``main_class`` is the class's name under ``io.pinpipeline.jobs`` (``batch.CleanPins``). Parameters must be
    strings: Databricks passes them to ``main(String[])`` as they are.
    """
    cluster = dict(settings["cluster"])
    if "existing_cluster_id" in cluster:
        cluster["existing_cluster_id"] = variable("pinterest_existing_cluster_id", cluster["existing_cluster_id"])
    return DatabricksSubmitRunOperator(
        task_id=task_id,
        databricks_conn_id=variable("pinterest_databricks_conn_id", settings["databricks_conn_id"]),
        polling_period_seconds=settings["polling_period_seconds"],
        json={
            # Shown in the workspace's job runs list: which DAG task, for which date.
            "run_name": "{{ dag.dag_id }}.{{ task.task_id }} {{ ds }}",
            "spark_jar_task": {
                "main_class_name": f"{JOBS_PACKAGE}.{main_class}",
                "parameters": ["--env", variable("pinterest_env", settings["env"]), *parameters],
            },
            "libraries": [{"jar": variable("pinterest_jar", settings["jar"])}],
            **cluster,
        },
    )
