"""Text log lines cannot be forged: a request path with ``%0a`` (logged before anyone is
authenticated) and any other control character stay escaped inside their one line."""

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.ops.logs import RequestIdFilter, logging_config
from service.settings import Settings


def _text_handler(tmp_path: Path) -> tuple[logging.Handler, io.StringIO]:
    """A handler built from the very formatter config ``wfv serve`` uses for text logs."""
    config = logging_config(Settings(data_dir=tmp_path, log_format="text", _env_file=None))
    spec = dict(config["formatters"]["wfv"])
    factory = spec.pop("()", logging.Formatter)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(factory(**spec) if "fmt" in spec else factory(spec.get("format")))
    handler.addFilter(RequestIdFilter("-"))
    return handler, stream


@pytest.fixture
def access_lines(tmp_path: Path) -> Iterator[io.StringIO]:
    handler, stream = _text_handler(tmp_path)
    logger = logging.getLogger("wfv.access")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(old_level)


FORGED = "2026-12-02 12:00:00,000 INFO wfv.auth [-] admin logged in"


def test_a_line_feed_in_an_unauthenticated_path_cannot_forge_a_line(
    client: TestClient, access_lines: io.StringIO
) -> None:
    response = client.get("/api/v1/nowhere%0a" + FORGED.replace(" ", "%20") + "%0d%1b[2J")
    assert response.status_code == 404
    lines = access_lines.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "wfv.access" in lines[0]
    assert "\\n2026-12-02" in lines[0]
    assert "\\r\\u001b[2J" in lines[0]
    assert not any(line.startswith("2026-12-02 12:00:00,000") for line in lines)


def test_a_traceback_follows_indented_with_its_controls_escaped(tmp_path: Path) -> None:
    handler, stream = _text_handler(tmp_path)
    logger = logging.getLogger("wfv.test-text-lines")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("bad\n" + FORGED)
        except ValueError:
            logger.error("failed for %s", "x\u2028y\x85z", exc_info=True)
    finally:
        logger.removeHandler(handler)
    first, *rest = stream.getvalue().splitlines()
    assert first.endswith("failed for x\\u2028y\\u0085z")
    assert rest
    assert all(line.startswith("    ") for line in rest)
    assert any(FORGED in line for line in rest)  # the forged text is there, but indented


def test_json_lines_stay_one_line_too(tmp_path: Path) -> None:
    config = logging_config(Settings(data_dir=tmp_path, log_format="json", _env_file=None))
    formatter = config["formatters"]["wfv"]["()"]()
    record = logging.makeLogRecord({"msg": "GET %s", "args": ("/a\nb\u2028c",), "levelname": "INFO"})
    assert "\n" not in formatter.format(record)
