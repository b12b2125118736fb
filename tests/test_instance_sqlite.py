"""The CLI's batched instance writes: same events, no fsync-per-event close checkpoints, files left whole."""

from __future__ import annotations

import sqlite3

import dagster as dg

from workflows.instance_sqlite import _Keepers, instance_writes_batched


@dg.op
def one_step() -> int:
    return 1


@dg.job(executor_def=dg.in_process_executor)
def tiny_job():
    one_step()


def _event_types(home, run_id: str) -> list[str]:
    conn = sqlite3.connect(home / "history" / "runs" / f"{run_id}.db")
    try:
        return [r[0] for r in conn.execute("SELECT dagster_event_type FROM event_logs ORDER BY id")]
    finally:
        conn.close()


def test_a_run_records_the_same_events_and_leaves_no_wal_behind(tmp_path, monkeypatch):
    attached: list[str] = []
    original = _Keepers.on_connect

    def spy(self, dbapi_connection, record):
        original(self, dbapi_connection, record)
        attached[:] = sorted(self.open)

    monkeypatch.setattr(_Keepers, "on_connect", spy)
    plain_home, batched_home = tmp_path / "plain", tmp_path / "batched"
    plain_home.mkdir(), batched_home.mkdir()
    plain = tiny_job.execute_in_process(instance=dg.DagsterInstance.from_config(str(plain_home)))
    with instance_writes_batched(batched_home):
        batched = tiny_job.execute_in_process(instance=dg.DagsterInstance.from_config(str(batched_home)))
        conn = sqlite3.connect(batched_home / "history" / "runs" / "index.db")
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()

    assert plain.success and batched.success
    assert _event_types(batched_home, batched.run_id) == _event_types(plain_home, plain.run_id)
    kept = {path.rsplit("/", 1)[-1] for path in attached}
    assert {"index.db", f"{batched.run_id}.db", "runs.db"} <= kept, kept
    assert not list(batched_home.rglob("*-wal")), list(batched_home.rglob("*-wal"))


def test_connections_outside_the_home_are_left_alone(tmp_path):
    other = tmp_path / "other.db"
    with instance_writes_batched(tmp_path / "home"):
        from sqlalchemy import create_engine, text

        engine = create_engine(f"sqlite:///{other}")
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL, SQLite's default
        engine.dispose()
