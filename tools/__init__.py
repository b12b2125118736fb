"""Evaluation and benchmark commands, outside the stage folders: they drive the pipeline, never the reverse."""
