"""wrk (C, one epoll loop per thread) as the load generator where the Python one would
set the rate instead of the server: on this 2-core machine our asyncio client tops out
near 1,350 requests/s of 20 KB, while a bare FastAPI route on two processes takes 3,000.

Each wrk thread keeps one connection and is one simulated user: its own token, and for
draft saves its own revision, read back from each answer, so every save is based on the
latest one as an editor's would be. ``apt-get install wrk`` (Debian) provides it."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_RESULT = "WFV_WRK"

_COMMON = """
local users = {tokens}
local revisions = {revisions}
local paths = {paths}
local bodies = {{}}
for i, name in ipairs({body_files}) do
  local f = io.open(name, "rb"); bodies[i] = f:read("*all"); f:close()
end
local threads = {{}}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  token = users[((id - 1) % #users) + 1]
  revision = revisions[((id - 1) % #users) + 1] or 0
  turn = 0
  failures = 0
  sample = ""
end

function request()
  turn = turn + 1
  local headers = {{["Content-Type"] = "application/json"}}
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  local path = paths[math.random(#paths)]
  if #bodies == 0 then return wrk.format("GET", path, headers) end
  local body = '{{"revision":' .. revision .. ',"definition":' .. bodies[(turn % #bodies) + 1] .. '}}'
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 200 then
    local number = string.match(body, '"revision":(%d+)')
    if number then revision = tonumber(number) end
  else
    failures = failures + 1
    sample = status .. " " .. string.sub(body, 1, 200)
  end
end

function done(summary, latency, requests)
  local failed, sample = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    if thread:get("sample") ~= "" then sample = thread:get("sample") end
  end
  io.write(string.format("{result} %d %d %d %d %d %d %s\\n", summary.requests, summary.duration,
    failed + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(95), sample))
end
"""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    sample_error: str
    p95_ms: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_strings(values: list[str]) -> str:
    return "{" + ", ".join(json.dumps(value) for value in values) + "}"


def run(
    base: str,
    paths: list[str],
    *,
    users: list[str],
    seconds: float,
    connections: int,
    workdir: Path,
    bodies: list[bytes] | None = None,
    revisions: list[int] | None = None,
) -> WrkResult:
    """``connections`` users on as many wrk threads: GETs of random ``paths``, or, with
    ``bodies``, draft saves whose revisions follow the answers (starting from each user's
    entry in ``revisions``, else 0). The same users get the same threads run after run."""
    files = []
    for index, body in enumerate(bodies or []):
        file = workdir / f"wrk-body-{index}.json"
        file.write_bytes(body)
        files.append(str(file))
    script = workdir / "wrk.lua"
    script.write_text(
        _COMMON.format(
            tokens=_lua_strings(users),
            revisions="{" + ", ".join(str(number) for number in revisions or []) + "}",
            paths=_lua_strings(paths),
            body_files=_lua_strings(files),
            result=_RESULT,
        )
    )
    command = ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{seconds:.0f}s"]
    command += ["--timeout", "10s", "-s", str(script), base]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    line = next(line for line in output.splitlines() if line.startswith(_RESULT))
    requests, micros, errors, p50, p99, p95, *sample = line.split(" ", 7)[1:]
    return WrkResult(
        int(requests),
        int(micros) / 1e6,
        int(errors),
        int(p50) / 1000,
        int(p99) / 1000,
        " ".join(sample),
        int(p95) / 1000,
    )
