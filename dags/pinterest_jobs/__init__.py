"""What the pipeline's DAGs share: the settings they read and the one factory for a jar task (see jar_task)."""
