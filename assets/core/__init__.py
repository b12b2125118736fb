"""The shared layer under the stages: resources, Dagster conventions, contracts several stages share,
file formats (atomic writers, the release-format reader) and DuckDB helpers. Imports nothing above it."""
