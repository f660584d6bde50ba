"""Schemathesis over the OpenAPI document, against a running ``rashomon serve``.

The server runs in its own process over a store of its own; schemathesis generates requests
from /openapi.json (valid and invalid: wrong types, huge numbers, odd strings, bad bodies)
and every answer must be no server error (5xx) and, for 4xx, the one error shape. The
example count is capped so the run stays bounded (SCHEMATHESIS_EXAMPLES, default 25 per
operation).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from .conftest import ROOT

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

pytestmark = [pytest.mark.slow]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
ERROR_KEYS = {"status", "code", "message"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``rashomon serve`` on a free loopback port over an empty store, in a second process."""
    import httpx

    from rashomon.store import Store

    db = tmp_path_factory.mktemp("schemathesis") / "web.db"
    Store(db).close()  # `serve --db` opens an existing store only (a typo must not create one)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RASHOMON_WORKERS": "1"}
    log = (tmp_path_factory.getbasetemp() / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "rashomon.cli", "serve", "--db", str(db), "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            if httpx.get(base + "/openapi.json", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.time() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"rashomon serve did not start; see {log.name}")
        time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_no_server_error_and_one_error_shape(served):
    from hypothesis import given

    schema = schemathesis.openapi.from_url(served + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5, "the OpenAPI document lost its operations"
    seen: dict[str, set[int]] = {}
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(base_url=served, timeout=60)
            seen.setdefault(label, set()).add(response.status_code)
            assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:300]}"
            kind = response.headers.get("content-type") or ""
            kind = kind[0] if isinstance(kind, list) else kind
            if response.status_code >= 400 and not kind.startswith("application/json"):
                # a download route asked without Accept: application/json answers the HTML error page
                assert kind.startswith("text/html"), (label, response.headers)
                assert str(response.status_code) in response.text, (label, response.text[:300])
            elif response.status_code >= 400:
                body = json.loads(response.text)
                assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, (label, body)
                assert body["error"]["status"] == response.status_code and body["error"]["message"]

        check()
    assert {op.split()[0] for op in seen} >= {"GET", "POST"}, seen
    print("status codes per operation:", {k: sorted(v) for k, v in seen.items()})
