"""What the pipeline's DAGs share: the list of the jar's jobs (see catalog, jobs.json), the settings they read and
the one factory for a jar task (see jar_task)."""
