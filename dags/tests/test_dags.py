"""The DAGs as Airflow parses them: they import, their graphs are as designed, their tasks render as Databricks
expects, and every main class they name is in the job jar."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pendulum
import pytest
from airflow.providers.databricks.operators.databricks import DatabricksSubmitRunOperator
from airflow.providers.standard.sensors.time_delta import TimeDeltaSensor
from airflow.sdk.execution_time.context import VariableAccessor
from airflow.sdk import CronDataIntervalTimetable

from conftest import DAGS_FOLDER, REPOSITORY, parse_dags
from pinterest_jobs.catalog import CATALOG_FILE, JOBS, lane
from pinterest_jobs.jar_task import DEFAULTS, load_settings

JOB_JAR = REPOSITORY / "jobs" / "target" / "pinterest-jobs.jar"
LOGICAL_DATE = "2024-05-01"

WAIT_FOR_LATE_FILES = "wait_for_late_files"
CLEANING_TASKS = {job.task_id for job in lane("cleaning")}
# Each metric after exactly the cleaning jobs that write a table it reads, as jobs.json says (read here from the
# file's own fields, not through the DAG's helper).
BATCH_UPSTREAM = {
    WAIT_FOR_LATE_FILES: set(),
    **{task_id: {WAIT_FOR_LATE_FILES} for task_id in CLEANING_TASKS},
    **{metric.task_id: {cleaning.task_id for cleaning in lane("cleaning") if set(cleaning.writes) & set(metric.reads)}
       for metric in lane("metric")},
}
BATCH_JOB_TASKS = sorted(set(BATCH_UPSTREAM) - {WAIT_FOR_LATE_FILES})


def snake_case(class_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()


def render(dag, task_id: str) -> dict:
    """The task's `json` as the task runner renders it for LOGICAL_DATE, Variables read through Airflow's own accessor."""
    task = dag.get_task(task_id)
    context = {
        "ds": LOGICAL_DATE,
        "dag": dag,
        "task": task,
        "var": {"value": VariableAccessor(deserialize_json=False), "json": VariableAccessor(deserialize_json=True)},
    }
    return task.render_template(task.json, context)


def test_every_dag_file_imports_and_defines_a_dag(dagbag):
    assert dagbag.import_errors == {}
    dag_files = sorted(path.name for path in DAGS_FOLDER.glob("*.py"))
    assert dag_files == ["pinterest_batch.py", "pinterest_streaming.py"]
    found = {Path(dag.fileloc).name: dag_id for dag_id, dag in dagbag.dags.items()}
    # An empty bag would pass a bare "no import errors" check: name every DAG expected, file by file.
    assert found == {"pinterest_batch.py": "pinterest_batch", "pinterest_streaming.py": "pinterest_streaming"}


def test_batch_dag_runs_each_metric_after_exactly_the_cleaning_it_reads(dagbag):
    dag = dagbag.dags["pinterest_batch"]
    assert {task.task_id: set(task.upstream_task_ids) for task in dag.tasks} == BATCH_UPSTREAM
    # SPEC 5's joins, as the list declares them: pin-geo metrics, pin-user metrics, and the one that reads users alone.
    assert CLEANING_TASKS == {"clean_pins", "clean_geo", "clean_users"}
    assert BATCH_UPSTREAM["top_category_by_country"] == {"clean_pins", "clean_geo"}
    assert BATCH_UPSTREAM["median_followers_by_age_group"] == {"clean_pins", "clean_users"}
    assert BATCH_UPSTREAM["users_joined_by_year"] == {"clean_users"}


def test_the_job_list_names_each_task_after_its_class_and_every_table_a_metric_reads_is_cleaned():
    assert len({job.task_id for job in JOBS}) == len(JOBS) == 16
    for job in JOBS:
        assert job.task_id == snake_case(job.main_class.rsplit(".", 1)[1]), job
        assert job.lane in {"cleaning", "metric", "streaming", "ingest"}, job
    cleaned = {table for job in lane("cleaning") for table in job.writes}
    for metric in lane("metric"):
        assert metric.reads and set(metric.reads) <= cleaned, metric
        assert len(metric.writes) == 1 and metric.writes[0] == metric.task_id, metric


def test_batch_dag_is_daily_and_configured_for_backfills(dagbag):
    dag = dagbag.dags["pinterest_batch"]
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    # A data interval timetable: the run at 2024-05-02 00:00 covers (ds =) 2024-05-01, the day just ended.
    assert (dag.timetable.expression, str(dag.timetable.timezone)) == ("0 0 * * *", "UTC")
    assert dag.start_date == pendulum.datetime(2024, 1, 1, tz="UTC")
    assert dag.catchup is False
    assert dag.max_active_runs == 2
    assert set(dag.tags) == {"pinterest", "batch", "databricks"}
    assert dag.doc_md.strip().startswith("### pinterest_batch")
    assert dag.default_args == {"owner": "data-engineering", "retries": 2, "retry_delay": timedelta(minutes=5)}
    for task in dag.tasks:
        assert isinstance(task, DatabricksSubmitRunOperator) == (task.task_id != WAIT_FOR_LATE_FILES)
        assert (task.owner, task.retries, task.retry_delay) == ("data-engineering", 2, timedelta(minutes=5))


def reference_setting(key: str) -> str:
    """A setting's default as the job jar the DAGs run carries it (its reference.conf)."""
    with zipfile.ZipFile(JOB_JAR) as jar:
        reference = jar.read("reference.conf").decode("utf-8")
    match = re.search(rf"^{re.escape(key)}\s*=\s*(\S+)\s*$", reference, re.MULTILINE)
    assert match, f"{key} is not in the jar's reference.conf"
    return match.group(1)


def test_batch_dag_waits_for_late_files_and_its_jobs_clean_the_day_before_again(dagbag):
    dag = dagbag.dags["pinterest_batch"]
    wait = dag.get_task(WAIT_FOR_LATE_FILES)
    assert isinstance(wait, TimeDeltaSensor)
    # The run for 2024-05-01 starts its jobs at 2024-05-02 01:00 UTC: an hour after the day's data interval ends,
    # for the S3 sink's last files of the day (closed within 10 minutes, conf/msk-connect/s3-sink.properties).
    assert wait.delta == timedelta(minutes=DEFAULTS["landing_delay_minutes"]) == timedelta(hours=1)
    # Counted from the end of the run's data interval: not done 59 minutes after it, done 61 minutes after it, and
    # at once for a backfill of a past day.
    now = pendulum.now("UTC")
    assert wait.poke({"data_interval_end": now.subtract(minutes=59)}) is False
    assert wait.poke({"data_interval_end": now.subtract(minutes=61)}) is True
    assert wait.poke({"data_interval_end": pendulum.datetime(2024, 5, 2, tz="UTC")}) is True
    assert wait.mode == "reschedule"
    # The lateness window is the jobs' own setting: the DAG passes only the date, and the jar re-cleans the day before.
    assert int(reference_setting("landing.lateness-days")) >= 1
    for task_id in ("clean_pins", "clean_geo", "clean_users"):
        assert render(dag, task_id)["spark_jar_task"]["parameters"] == ["--env", "dev", "--date", LOGICAL_DATE]


def test_no_wait_when_the_settings_say_so(tmp_path):
    settings_file = tmp_path / "pinterest_pipeline.json"
    settings_file.write_text(json.dumps({"landing_delay_minutes": 0}))
    dag = parse_dags(settings_file).dags["pinterest_batch"]
    assert WAIT_FOR_LATE_FILES not in dag.task_ids
    assert dag.get_task("clean_pins").upstream_task_ids == set()


def test_streaming_dag_drains_three_streams_one_run_at_a_time(dagbag):
    dag = dagbag.dags["pinterest_streaming"]
    assert {task.task_id: set(task.upstream_task_ids) for task in dag.tasks} == {
        job.task_id: set() for job in lane("streaming")} == {"stream_pins": set(), "stream_geo": set(), "stream_users": set()}
    assert dag.timetable.expression == "0 * * * *"
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert "processing-time=10s" in dag.doc_md
    assert render(dag, "stream_geo")["spark_jar_task"] == {
        "main_class_name": "io.pinpipeline.jobs.stream.StreamGeo",
        "parameters": ["--env", "dev", "--trigger", "available-now"],
    }


@pytest.mark.parametrize("task_id", BATCH_JOB_TASKS)
def test_each_batch_task_renders_its_job_for_the_logical_date(dagbag, task_id):
    rendered = render(dagbag.dags["pinterest_batch"], task_id)
    main_class = rendered["spark_jar_task"]["main_class_name"]
    assert re.fullmatch(r"io\.pinpipeline\.jobs\.(batch|metrics)\.[A-Za-z]+", main_class)
    assert snake_case(main_class.rsplit(".", 1)[1]) == task_id
    assert rendered == {
        "run_name": f"pinterest_batch.{task_id} {LOGICAL_DATE}",
        "spark_jar_task": {"main_class_name": main_class, "parameters": ["--env", "dev", "--date", LOGICAL_DATE]},
        "libraries": [{"jar": DEFAULTS["jar"]}],
        "new_cluster": {"spark_version": "17.3.x-scala2.13", "node_type_id": "m5d.large", "num_workers": 2},
    }


def test_deployed_settings_file_and_variables_choose_jar_env_cluster_and_connection(tmp_path, monkeypatch):
    settings_file = tmp_path / "pinterest_pipeline.json"
    settings_file.write_text(json.dumps({
        "env": "prod",
        "jar": "dbfs:/FileStore/pinterest-pipeline/jars/pinterest-jobs-0.1.0-3f2a9c1b7d4e.jar",
        "databricks_conn_id": "databricks_prod",
        "polling_period_seconds": 60,
        "cluster": {"existing_cluster_id": "0923-164208-meows279"},
    }))
    dag = parse_dags(settings_file).dags["pinterest_batch"]
    task = dag.get_task("top_user_by_country")
    assert task.polling_period_seconds == 60
    rendered = render(dag, "top_user_by_country")
    assert rendered["spark_jar_task"]["parameters"] == ["--env", "prod", "--date", LOGICAL_DATE]
    assert rendered["libraries"] == [{"jar": "dbfs:/FileStore/pinterest-pipeline/jars/pinterest-jobs-0.1.0-3f2a9c1b7d4e.jar"}]
    assert rendered["existing_cluster_id"] == "0923-164208-meows279"
    assert "new_cluster" not in rendered
    assert task.render_template(task.databricks_conn_id, {"var": {"value": VariableAccessor(deserialize_json=False)}}) \
        == "databricks_prod"

    # Variables win over the file when the task runs; parsing the DAG never read them.
    monkeypatch.setenv("AIRFLOW_VAR_PINTEREST_JAR", "/Volumes/main/pinterest/jars/pinterest-jobs-0.1.0-aaaaaaaaaaaa.jar")
    monkeypatch.setenv("AIRFLOW_VAR_PINTEREST_EXISTING_CLUSTER_ID", "1111-222222-abcdefgh")
    rendered = render(dag, "top_user_by_country")
    assert rendered["libraries"] == [{"jar": "/Volumes/main/pinterest/jars/pinterest-jobs-0.1.0-aaaaaaaaaaaa.jar"}]
    assert rendered["existing_cluster_id"] == "1111-222222-abcdefgh"
    assert "{{ var.value.get(" in task.json["libraries"][0]["jar"]


def test_settings_file_with_an_instance_pool(tmp_path):
    settings_file = tmp_path / "pinterest_pipeline.json"
    pool_cluster = {"spark_version": "17.3.x-scala2.13", "instance_pool_id": "0101-120000-pool1", "num_workers": 4}
    settings_file.write_text(json.dumps({"cluster": {"new_cluster": pool_cluster}}))
    rendered = render(parse_dags(settings_file).dags["pinterest_batch"], "clean_geo")
    assert rendered["new_cluster"] == pool_cluster
    assert rendered["spark_jar_task"]["parameters"] == ["--env", "dev", "--date", LOGICAL_DATE]


def test_a_bad_settings_file_is_a_clear_import_error(tmp_path):
    settings_file = tmp_path / "pinterest_pipeline.json"
    settings_file.write_text(json.dumps({"jar_path": "dbfs:/x.jar"}))
    with pytest.raises(ValueError, match=r"unknown settings \['jar_path'\]"):
        load_settings(settings_file)
    settings_file.write_text(json.dumps({"cluster": {"new_cluster": {}, "existing_cluster_id": "c"}}))
    with pytest.raises(ValueError, match="exactly one of new_cluster or existing_cluster_id"):
        load_settings(settings_file)
    bag = parse_dags(settings_file)
    assert {Path(path).name for path in bag.import_errors} == {"pinterest_batch.py", "pinterest_streaming.py"}


def test_a_settings_file_that_is_not_json_is_an_import_error_naming_it_and_where(tmp_path):
    settings_file = tmp_path / "pinterest_pipeline.json"
    settings_file.write_text('{\n  "env": "prod",\n  "jar": dbfs:/x.jar\n}\n')
    expected = f"{settings_file}: not valid JSON: Expecting value at line 3, column 10"
    with pytest.raises(ValueError) as raised:
        load_settings(settings_file)
    assert str(raised.value) == expected
    bag = parse_dags(settings_file)
    assert {Path(path).name for path in bag.import_errors} == {"pinterest_batch.py", "pinterest_streaming.py"}
    assert all(expected in error for error in bag.import_errors.values()), bag.import_errors
    assert bag.dags == {}

    settings_file.write_text('["dev"]')
    with pytest.raises(ValueError, match="must hold a JSON object of settings, not list"):
        load_settings(settings_file)


def test_every_main_class_named_by_a_dag_is_a_main_in_the_built_jar(dagbag):
    assert JOB_JAR.is_file(), f"{JOB_JAR} is missing: build it first (mvn package, or ./pipeline build)"
    named = {task.json["spark_jar_task"]["main_class_name"] for dag in dagbag.dags.values() for task in dag.tasks
             if isinstance(task, DatabricksSubmitRunOperator)}
    assert named == {f"io.pinpipeline.jobs.{job.main_class}" for job in JOBS if job.lane != "ingest"}
    with zipfile.ZipFile(JOB_JAR) as jar:
        # The jar's own list (JobCatalog reads it) is the DAG folder's.
        assert jar.read("io/pinpipeline/jobs/catalog/jobs.json") == CATALOG_FILE.read_bytes()
        for main_class in sorted(named):
            entry = main_class.replace(".", "/") + ".class"
            assert entry in jar.namelist(), f"{main_class} is not in {JOB_JAR.name}"
            # The class file's constant pool names a main(String[]) when the class declares one.
            class_file = jar.read(entry)
            assert b"main" in class_file and b"([Ljava/lang/String;)V" in class_file, f"{main_class} has no main"


def test_the_batch_run_waits_longer_than_the_s3_sink_keeps_a_day_open():
    sink = {}
    for line in (REPOSITORY / "conf" / "msk-connect" / "s3-sink.properties").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            sink[key.strip()] = value.strip()
    # dt= folders by record time in UTC, and files closed on the wall clock too, so a day's last file does not wait
    # for the next day's first record.
    assert (sink["partitioner.class"], sink["path.format"], sink["timezone"]) == (
        "io.confluent.connect.storage.partitioner.TimeBasedPartitioner", "'dt'=YYYY-MM-dd", "UTC")
    closed_within = timedelta(milliseconds=int(sink["rotate.schedule.interval.ms"]))
    assert closed_within == timedelta(minutes=10)
    assert timedelta(minutes=DEFAULTS["landing_delay_minutes"]) >= 3 * closed_within
