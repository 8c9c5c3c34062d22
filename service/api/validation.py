"""A request FastAPI could not parse or validate, worded for the person who sent it.

Three kinds, each with its own status:

- a body that is not JSON (400 ``malformed-json``): where, as the line and column an editor
  shows, and what the parser expected there; FastAPI reports only a character offset;
- a body sent without ``Content-Type: application/json`` (415 ``unsupported-media-type``):
  FastAPI does not parse it at all and answers "Input should be a valid dictionary", which
  hides the one thing to fix, the header;
- a value the models refuse (422 ``invalid-request``): each error with its field, said in
  words (``schemas.messages``: no regular expression), and the action it is in.
"""

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from schemas.messages import message
from schemas.text import TEXT_ERROR
from service.errors import Problem, UnsupportedMediaType

JSON_TYPES = ("application/json", "+json")
_SHOWN_TYPE = 100  # characters of a refused Content-Type echoed back


class MalformedJson(Problem):
    status_code, title, slug = 400, "Malformed JSON", "malformed-json"


class InvalidRequest(Problem):
    status_code, title, slug = 422, "Invalid request", "invalid-request"


def refusal(request: Request, exc: RequestValidationError) -> Problem:
    """The problem to answer ``exc`` with."""
    errors = list(exc.errors())
    syntax = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if syntax is not None:
        return _malformed_json(syntax, exc.body)
    if isinstance(exc.body, bytes | bytearray) and any(_in_body(e) for e in errors):
        return _not_json(request)  # a body FastAPI left as bytes: its type was not JSON
    listed = _validation_errors(exc)
    first = listed[0] if listed else {"field": "", "message": "invalid"}
    detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return InvalidRequest(detail, field=first["field"], errors=listed)


def _in_body(error: Any) -> bool:
    location = error.get("loc", ())
    return bool(location) and location[0] == "body"


def _malformed_json(error: Any, document: Any) -> MalformedJson:
    """FastAPI's ``json_invalid`` error has the offset in ``loc`` and the decoder's message
    in ``ctx``; the body it failed on is the error's ``body``."""
    location = error.get("loc", ())
    offset = location[1] if len(location) > 1 and isinstance(location[1], int) else 0
    what = str((error.get("ctx") or {}).get("error", "not valid JSON"))
    what = what[:1].lower() + what[1:]
    text = document if isinstance(document, str) else ""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    detail = f"invalid JSON at line {line}, column {column}: {what}"
    entry = {"field": "body", "message": detail, "line": line, "column": column}
    return MalformedJson(detail, line=line, column=column, errors=[entry])


def _not_json(request: Request) -> UnsupportedMediaType:
    given = request.headers.get("content-type")
    said = "has no Content-Type" if not given else f"says Content-Type: {given[:_SHOWN_TYPE]}"
    return UnsupportedMediaType(
        f"the body must be JSON sent with the header 'Content-Type: application/json'; this request {said}",
        field="header.content-type",
    )


def _action_id(body: Any, location: tuple[Any, ...]) -> str | None:
    """Which action an error is in, so "actions.3.next" also says "in action 'welcome'"."""
    if "actions" not in location:
        return None
    at = location.index("actions")
    try:
        node = body
        for part in location[1:at]:
            node = node[part]
        action = node["actions"][location[at + 1]]
        return str(action["id"]) if isinstance(action, dict) and "id" in action else None
    except (KeyError, IndexError, TypeError):
        return None


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        location = tuple(error.get("loc", ()))
        if error.get("type") == TEXT_ERROR:  # checked on the whole body: where inside it
            location = (*location, *error.get("ctx", {}).get("path", ()))
        text = message(error)
        if location == ("body",) and error.get("type") == "missing":
            text = "a JSON body is required"
        entry: dict[str, Any] = {"field": ".".join(str(part) for part in location), "message": text}
        action_id = _action_id(exc.body, location)
        if action_id is not None:
            entry["action_id"] = action_id
            entry["message"] = f"in action '{action_id}': {entry['message']}"
        errors.append(entry)
    return errors


def unparsable_body(exc: BaseException, fallback: str) -> str:
    """Why FastAPI could not read a JSON body at all (its 400 says only "There was an error
    parsing the body"): bytes that are not UTF-8, or nesting past the parser's depth."""
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):
        return f"the body is not UTF-8: {cause.reason} at byte {cause.start}"
    if isinstance(cause, RecursionError):
        return "the JSON is nested too deeply to read"
    return fallback
