"""Dagster's own commands on the project's persistent instance: `make dev`, `make launch`,
`make automation-on`, `make check-defs` run `dg dev`, `dg launch`, `dagster sensor|schedule start`,
`dg check defs` with the folders resolved
exactly as `make run` resolves them (the environment, else data/landing and warehouse) and DAGSTER_HOME
absolute, so every run lands on the instance the UI shows. Before `dg launch`, the landing files'
partitions are added, so `--partition <file>` names a known partition.

Exit 2 with one `error:` line on a setup problem, like `make run`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from workflows.cli import SetupError, dagster_home, resolve_paths

AUTOMATION = (("sensor", "landing_sensor"), ("schedule", "daily_refresh"))


def project_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment for a Dagster command: PAPERS_* and DAGSTER_HOME absolute, the instance set up."""
    landing, warehouse = resolve_paths(environ)
    home = dagster_home(warehouse, environ)
    return {**environ, "PAPERS_LANDING_DIR": str(landing), "PAPERS_WAREHOUSE_DIR": str(warehouse),
            "DAGSTER_HOME": str(home)}


def add_landing_partitions(env: Mapping[str, str]) -> list[str]:
    """Add a partition for each landing file that has none yet (what `make run` does first)."""
    import dagster as dg

    from assets.ingest.landing import scan_landing

    files, _ = scan_landing(Path(env["PAPERS_LANDING_DIR"]))
    keys = [f.partition_key for f in files]
    with dg.DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        known = set(instance.get_dynamic_partitions("landing_files"))
        if missing := [k for k in keys if k not in known]:
            instance.add_dynamic_partitions("landing_files", missing)
    return keys


def commands(args: argparse.Namespace) -> list[list[str]]:
    """The Dagster command lines to run (binaries of this virtual environment)."""
    bin_dir = Path(sys.executable).parent
    dg_bin, dagster_bin = str(bin_dir / "dg"), str(bin_dir / "dagster")
    if args.command == "check":
        return [[dg_bin, "check", "defs"]]
    if args.command == "dev":
        return [[dg_bin, "dev", "--host", "127.0.0.1", "--port", str(args.port)]]
    if args.command == "launch":
        partition = ["--partition", args.partition] if args.partition else []
        return [[dg_bin, "launch", "--job", args.job, *partition]]
    verb = "start" if args.state == "on" else "stop"
    return [[dagster_bin, kind, verb, name, "-m", "workflows.definitions"] for kind, name in AUTOMATION]


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workflows.launch", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    dev = sub.add_parser("dev", help="the Dagster UI and daemon on http://127.0.0.1:PORT")
    dev.add_argument("--port", type=int, default=3000)
    launch = sub.add_parser("launch", help="run a job (dg launch)")
    launch.add_argument("job", choices=["ingest_landing_file", "refresh_corpus", "refit_topics"])
    launch.add_argument("partition", nargs="?", default="", help="landing file name (ingest_landing_file)")
    sub.add_parser("check", help="load the definitions (dg check defs)")
    automation = sub.add_parser("automation", help="turn the landing sensor and the daily schedule on or off")
    automation.add_argument("state", choices=["on", "off"])
    args = parser.parse_args(argv)
    try:
        env = project_environment(os.environ if environ is None else environ)
        if args.command == "launch":
            keys = add_landing_partitions(env)
            if args.job == "ingest_landing_file" and args.partition not in keys:
                raise SetupError(f"no landing file {args.partition!r} in {env['PAPERS_LANDING_DIR']}: "
                                 f"name one of {', '.join(keys) or 'none (the folder is empty)'}")
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    import subprocess

    for command in commands(args):
        code = subprocess.run(command, env=env).returncode
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
