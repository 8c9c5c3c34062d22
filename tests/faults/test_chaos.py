"""The chaos run's harness itself (``bench/chaos.py``), run short so it cannot rot: its
real ``main`` on the production-shaped stack (private PostgreSQL and append-only Redis, two
API processes and a worker), 15 s of racing load from four clients, two of its faults
(an API process SIGKILLed, Redis SIGKILLed), then its audit. It must pass, and its JSON
summary must show what it claims to measure: writes acknowledged and audited, both faults
with their recovery, nothing lost or duplicated."""

import json
from pathlib import Path

from bench import chaos


def test_a_short_chaos_run_passes_and_reports(tmp_path: Path) -> None:
    # Without PostgreSQL binaries or redis-server, the harness's PrivateCluster and
    # RedisProcess skip the test (fail it under WFV_REQUIRE_SERVICES=1), as for the others.
    out = tmp_path / "chaos.json"
    code = chaos.main(
        [
            "--seconds",
            "15",
            "--clients",
            "4",
            "--faults",
            "api_killed,redis_killed",
            "--contacts",
            "3000",
            "--json",
            str(out),
        ]
    )
    summary = json.loads(out.read_text())
    assert code == 0, summary["problems"] + summary["lost_writes"] + summary["duplicated_writes"]
    assert summary["passed"] is True
    assert (summary["lost_writes"], summary["duplicated_writes"]) == ([], [])
    assert [f["name"] for f in summary["faults"]] == [
        "API process SIGKILLed, restarted",
        "Redis SIGKILLed, 3 s",
    ]
    killed, redis = summary["faults"]
    assert killed["writes_back_after"], "no write came back through the restarted API process"
    assert redis["migration"] is not None
    assert summary["outcomes"]["create_version"]["201"] > 0
    checked = summary["checked"]
    assert checked["version contents"] > 0
    assert checked["enrolled contacts"] > 0
    assert checked["git clones"] == checked["version numbering"]
