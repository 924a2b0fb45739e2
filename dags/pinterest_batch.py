"""
### pinterest_batch: the daily batch lane

For the run's logical date `ds`, cleans the day's landed pins, geolocations and users into the silver
tables (`CleanPins`, `CleanGeo`, `CleanUsers`), then computes each gold metric once the silver tables it
reads are clean. Every task is a Databricks run of one main class of the job jar with
`--env <env> --date {{ ds }}`.

Late files: the run for a day waits `landing_delay_minutes` (default 60) after the day ends, since the S3 sink
closes a day's last file up to 10 minutes after midnight (plus the connector's lag). Each cleaning job also
re-cleans the `landing.lateness-days` days before `ds` (a job setting, default 1), so a record that lands in a
day's folder after that day's run reaches silver in the next day's run.

Every job is idempotent for its date (a MERGE on keys, or an overwrite of exactly what it owns), so a re-run,
a cleared task or a backfill over any range of dates re-processes exactly those dates and leaves the same
tables. Two dates run at once (`max_active_runs=2`), so two runs' jobs can write one table at the same moment:
the jobs try a write again (up to six times, with growing pauses) when Delta refuses it for a concurrent commit. Backfill: `airflow backfill create --dag-id pinterest_batch --from-date 2024-05-01 --to-date 2024-05-07`,
or the UI's *Trigger > Backfill*.

Jar, environment, cluster and connection: `pinterest_pipeline.json` (written by `./pipeline deploy`) and the
Airflow Variables `pinterest_jar`, `pinterest_env`, `pinterest_databricks_conn_id`,
`pinterest_existing_cluster_id` (see docs/operations.md, "Orchestration").
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.sdk import DAG, CronDataIntervalTimetable

from pinterest_jobs.catalog import Job, lane, writers
from pinterest_jobs.jar_task import default_args, jar_task, load_settings

settings = load_settings()


def batch_task(job: Job):
    """A batch job (pinterest_jobs/jobs.json) for the run's date."""
    return jar_task(job.task_id, job.main_class, ["--date", "{{ ds }}"], settings)


with DAG(
    dag_id="pinterest_batch",
    description="Cleans the day's pins, geolocations and users, then computes the nine metrics",
    doc_md=__doc__,
    # A run covers the day that just ended: the run at 2024-05-02 00:00 UTC has ds = 2024-05-01 (a data
    # interval timetable; Airflow 3's plain "@daily" would start the run for a day at its first second).
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    # History is processed on purpose, by a backfill over the dates wanted, not by a flood of catch-up runs.
    catchup=False,
    # Each run starts twelve Databricks runs; two dates at a time keeps a long backfill within the workspace's quota.
    # Two dates' jobs then write the same tables at once (and their lateness windows overlap): the jobs retry a
    # write that a concurrent commit conflicted with, so the tables end as a serial run leaves them.
    max_active_runs=2,
    default_args=default_args(settings),
    tags=["pinterest", "batch", "databricks"],
) as dag:
    cleaning = {job.task_id: batch_task(job) for job in lane("cleaning")}

    # The day's last files close after midnight: wait for them past the end of the data interval (at once for a
    # backfill of past days). Rescheduled between pokes, so it holds no worker slot while it waits.
    if settings["landing_delay_minutes"] > 0:
        TimeDeltaSensor(
            task_id="wait_for_late_files",
            delta=timedelta(minutes=settings["landing_delay_minutes"]),
            mode="reschedule",
            poke_interval=300,
        ) >> list(cleaning.values())

    # Each metric after exactly the cleaning jobs that write the silver tables it reads (SPEC 5; jobs.json).
    for metric in lane("metric"):
        [cleaning[job.task_id] for job in writers(metric, "cleaning")] >> batch_task(metric)
