"""The job jar's jobs as ``jobs.json`` beside this file declares them: the one list that the DAGs, the jar and the
tests read. Reading that small local file is all that happens when a DAG file is parsed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CATALOG_FILE = Path(__file__).resolve().parent / "jobs.json"

_catalog = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))

# The package the main classes are named under, as jar_task's main_class is (``batch.CleanPins``).
JOBS_PACKAGE: str = _catalog["package"]


@dataclass(frozen=True)
class Job:
    """A main class of the job jar, its lane (cleaning, metric, streaming, ingest), its DAG task id and the lake
    tables it reads and writes."""

    task_id: str
    main_class: str
    lane: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]


JOBS: tuple[Job, ...] = tuple(
    Job(job["task_id"], job["main_class"], job["lane"], tuple(job["reads"]), tuple(job["writes"]))
    for job in _catalog["jobs"]
)


def lane(name: str) -> list[Job]:
    """The jobs of a lane, in the list's order."""
    return [job for job in JOBS if job.lane == name]


def writers(job: Job, of_lane: str) -> list[Job]:
    """The jobs of ``of_lane`` that write a table ``job`` reads: what it must run after."""
    return [writer for writer in lane(of_lane) if set(writer.writes) & set(job.reads)]
