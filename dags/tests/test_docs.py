"""The README's jobs table, a copy for readers of the one list of jobs (jobs.json), says what the list says."""

from __future__ import annotations

import re

from conftest import REPOSITORY
from pinterest_jobs.catalog import JOBS

README = REPOSITORY / "README.md"


def jobs_table_rows() -> list[list[str]]:
    """The rows of the README's table under "## The jobs", each as its cells without backticks."""
    section = README.read_text(encoding="utf-8").split("## The jobs", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def test_the_readme_lists_every_job_of_the_list_once_in_its_order():
    assert [row[0].strip("`") for row in jobs_table_rows()] == [job.main_class for job in JOBS]


def test_a_metric_row_names_the_silver_tables_it_reads_and_the_gold_table_it_writes():
    rows = {row[0].strip("`"): row for row in jobs_table_rows()}
    for job in (job for job in JOBS if job.lane == "metric"):
        _, reads, writes = rows[job.main_class]
        assert reads == "silver " + ", ".join(f"`{table}`" for table in job.reads), job.main_class
        assert writes == f"gold `{job.writes[0]}`", job.main_class
    # The cleaning jobs write their silver table and quarantine.
    for job in (job for job in JOBS if job.lane == "cleaning"):
        assert re.match(rf"silver `{job.writes[0]}`.*, `quarantine`$", rows[job.main_class][2]), job.main_class
