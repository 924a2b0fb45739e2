"""
### pinterest_streaming: the streaming lane, in scheduled slices

Every hour, runs the three streaming jobs (`StreamPins`, `StreamGeo`, `StreamUsers`) with
`--trigger available-now`: each reads everything its Kinesis stream received since its checkpoint, cleans it
with the batch lane's code, MERGEs it into `<prefix>_<kind>_table`, and stops, so the cluster is paid only
while there is work. The checkpoints make each slice pick up exactly where the last one stopped: nothing lost,
nothing doubled, whatever the schedule or a missed hour.

Always-on alternative: run the same main classes once as a long-running Databricks job (or a submit run
outside this DAG) with `--trigger processing-time=10s`; then pause this DAG, since two queries must never share
a checkpoint. See docs/operations.md, "Orchestration".
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG

from pinterest_jobs.catalog import Job, lane
from pinterest_jobs.jar_task import default_args, jar_task, load_settings

settings = load_settings()


def streaming_task(job: Job):
    """A streaming job (pinterest_jobs/jobs.json) that drains its stream and stops."""
    return jar_task(job.task_id, job.main_class, ["--trigger", "available-now"], settings)


with DAG(
    dag_id="pinterest_streaming",
    description="Drains the three Kinesis streams into their Delta tables, hourly",
    doc_md=__doc__,
    schedule="@hourly",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    # A slice reads from the checkpoint on, not by date: a past hour has nothing of its own to catch up.
    catchup=False,
    # Two runs of one query at once would fight over its checkpoint.
    max_active_runs=1,
    default_args=default_args(settings),
    tags=["pinterest", "streaming", "databricks"],
) as dag:
    for job in lane("streaming"):
        streaming_task(job)
