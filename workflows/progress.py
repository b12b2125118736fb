"""Progress lines for `make run`: a Dagster logger that prints each step's start and end (elapsed time,
row counts of what it materialized) and the steps' own log messages, and, while a step runs without
printing, a line every `HEARTBEAT_SECONDS` saying what it is doing and for how long.

Dagster records the same step starts, ends and messages in the run's event log (the UI); this logger
only gives the terminal a compact view. It is on for the runs the CLI starts (`PROGRESS_CONFIG`).
"""

from __future__ import annotations

import logging
import sys
import threading
import time

import dagster as dg

HEARTBEAT_SECONDS = 10.0
PROGRESS_CONFIG = {"progress": {"config": {}}}  # run config that turns the logger on


class ProgressHandler(logging.Handler):
    """Turns Dagster log records of one run into progress lines on `stream`."""

    def __init__(self, stream=None, heartbeat: float = HEARTBEAT_SECONDS):
        super().__init__(logging.DEBUG)  # Dagster logs step starts and ends at DEBUG
        self.stream = stream or sys.stdout
        self.heartbeat = heartbeat
        self.started = time.monotonic()
        self.last_line = self.started
        self.running: dict[str, dict] = {}  # step key -> {"since": t, "rows": {asset: n}, "doing": text}
        self.print_lock = threading.Lock()  # not `lock`: logging.Handler holds that one around emit
        self.stop = threading.Event()
        self.ticker: threading.Thread | None = None

    def line(self, text: str) -> None:
        with self.print_lock:
            self.last_line = time.monotonic()
            print(f"[{self.last_line - self.started:7.1f}s] {text}", file=self.stream, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event, step = meta.get("dagster_event"), meta.get("step_key")
        if event is None:
            if step and record.levelno >= logging.INFO and meta.get("orig_message"):
                self._step_message(step, meta["orig_message"], record.levelno)
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self.running[step] = {"since": time.monotonic(), "rows": {}, "doing": "started"}
            self.line(f"{step}: started")
            self._start_ticker()
        elif kind == "ASSET_MATERIALIZATION" and step in self.running:
            materialization = event.event_specific_data.materialization
            rows = materialization.metadata.get("dagster/row_count")
            if rows is not None:
                self.running[step]["rows"][materialization.asset_key.to_user_string()] = rows.value
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and step in self.running:
            self._step_end(step, kind == "STEP_SUCCESS")
        elif kind == "STEP_SKIPPED":
            self.line(f"{step}: skipped (an upstream blocking check failed)")
        elif kind in ("RUN_SUCCESS", "RUN_FAILURE", "PIPELINE_SUCCESS", "PIPELINE_FAILURE"):
            self.stop.set()

    def _step_message(self, step: str, message: str, level: int) -> None:
        text = " ".join(message.split())
        if step in self.running:
            self.running[step]["doing"] = text[:120]
        label = "" if text.startswith(f"{step}:") else f"{step}: "
        self.line(f"  {label}{'warning: ' if level >= logging.WARNING else ''}{text[:300]}")

    def _step_end(self, step: str, ok: bool) -> None:
        state = self.running.pop(step)
        seconds = time.monotonic() - state["since"]
        rows = ", ".join(f"{asset} {n:,} rows" for asset, n in state["rows"].items())
        self.line(f"{step}: {'done' if ok else 'FAILED'} in {seconds:.1f}s" + (f" ({rows})" if rows else ""))

    def _start_ticker(self) -> None:
        if self.ticker is None:
            self.ticker = threading.Thread(target=self._tick, name="progress-heartbeat", daemon=True)
            self.ticker.start()

    def _tick(self) -> None:
        """While a step runs and nothing was printed for `heartbeat` seconds: say it is still at work."""
        while not self.stop.wait(min(1.0, self.heartbeat)):
            now = time.monotonic()
            if now - self.last_line < self.heartbeat:
                continue
            for step, state in list(self.running.items()):
                self.line(f"  {step}: running for {now - state['since']:.0f}s (last: {state['doing']})")


@dg.logger(description="Compact progress lines for the terminal (on in runs started by `make run`).")
def progress_logger(init_context) -> logging.Logger:
    logger = logging.Logger("papers.progress", level=logging.DEBUG)
    logger.addHandler(ProgressHandler())
    return logger
