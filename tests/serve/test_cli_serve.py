"""`parley serve` and `parley bench serve` from the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from typer.testing import CliRunner

from parley.cli import app

from .conftest import TOKEN, free_port


def test_serve_a_missing_store_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "no parley store" in result.stderr and "Traceback" not in result.stderr


def test_serve_answers_on_the_given_port_and_stops(serve_db):
    port = free_port()
    env = dict(os.environ, PARLEY_TOKEN=TOKEN)
    proc = subprocess.Popen([sys.executable, "-m", "parley.cli", "serve", "--db", serve_db, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/summary", timeout=5) as r:
                    summary = json.load(r)
                break
            except urllib.error.HTTPError as exc:
                raise AssertionError(exc.read().decode()) from None
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        assert summary["articles"] == 11
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200 and b"Timeline" in r.read()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in err and "POST /api/articles needs the bearer token" in err


def test_bench_serve_times_every_endpoint(serve_db):
    from parley.serve.bench import WHAT, run_serve_bench

    result = run_serve_bench(db=serve_db, requests=2)
    names = [r["name"] for r in result["endpoints"]]
    assert set(names) <= set(WHAT) and {"api events", "page timeline", "page article", "api network month"} <= set(names)
    for r in result["endpoints"]:
        assert r["status"] == {"200": 2}, r
        assert 0 < r["median_ms"] <= r["max_ms"] and r["p95_ms"] <= r["max_ms"] and r["kb"] > 0
    assert result["events"] > 0 and result["machine"]["cores"]


def test_bench_serve_on_a_missing_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["bench", "serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no parley store" in result.stderr
