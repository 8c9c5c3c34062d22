"""The catalogue of action types: for each type, a JSON Schema (Draft 2020-12) of the
action's ``config``, compiled once when a process starts.

wfv ships the types its examples use (``schemas/action_types/<type>.json``); an operator
adds types, or replaces shipped ones, from a folder of the same files
(``WFV_ACTION_TYPES_DIR``): the engine that runs the actions is theirs, so its contract
is theirs to write, in a standard language rather than in our code.

Hostile by default, even for the operator's files: a folder holds at most
``MAX_TYPE_FILES`` schemas of at most ``MAX_SCHEMA_BYTES`` each, every schema is checked
against the meta-schema, and a ``$ref`` must resolve inside its own file: the registry
the validators use retrieves nothing, so checking a document never reaches the network.
Messages never show a regular expression: a pattern that fails is explained by the
``description`` of its schema.
"""

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from schemas.workflow import TYPE_PATTERN

MAX_TYPE_FILES = 200
MAX_SCHEMA_BYTES = 64 * 1024
MAX_MESSAGE = 300  # characters: a message quotes values, which may be 10,000 characters long
VALID_CONFIGS_CHARS = 4_000_000  # the remembered valid configs' reprs, at most (~8 MB)
DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Keywords whose values are data, not schemas: a "$ref" key inside them is no reference.
_DATA_KEYWORDS = frozenset({"const", "enum", "examples", "default"})


class CatalogueError(ValueError):
    """A schema file the service refuses to start with; the message names the file."""


@dataclass(frozen=True)
class ConfigError:
    """One way a config breaks its type's schema: where inside the config, and why."""

    path: tuple[str | int, ...]
    message: str


def _refuse_retrieval(uri: str) -> Resource[Any]:
    """What the registry does with a reference outside the schema: nothing (it becomes
    ``Unresolvable``), never a request to the network or a read of a file."""
    raise LookupError(f"wfv retrieves no schema ({uri})")


_OFFLINE = Registry(retrieve=_refuse_retrieval)  # type: ignore[call-arg]


def _references(schema: Any) -> Iterator[str]:
    """Every ``$ref`` and ``$dynamicRef`` of a schema (iteratively: no recursion limit)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                    yield value
                elif key not in _DATA_KEYWORDS:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def compile_schema(schema: Any, origin: str) -> Draft202012Validator:
    """A validator for ``schema``, or :class:`CatalogueError` saying what is wrong with it."""
    if not isinstance(schema, dict | bool):
        raise CatalogueError(f"{origin}: a JSON Schema is an object (or true or false)")
    if isinstance(schema, dict) and schema.get("$schema", DRAFT) != DRAFT:
        raise CatalogueError(f"{origin}: only JSON Schema Draft 2020-12 is supported ($schema {DRAFT})")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(part) for part in exc.absolute_path)
        raise CatalogueError(
            f"{origin}: not a valid JSON Schema (Draft 2020-12): {_clip(exc.message)}"
            + (f" (at /{where})" if where else "")
        ) from None
    resolver = _OFFLINE.resolver_with_root(DRAFT202012.create_resource(schema))
    for reference in _references(schema):
        try:
            resolver.lookup(reference)
        except Unresolvable:
            raise CatalogueError(
                f"{origin}: $ref {_clip(reference)!r} does not resolve inside the file; a reference "
                "must point into the same file (such as #/$defs/name): wfv retrieves no schema"
            ) from None
    return Draft202012Validator(schema, registry=_OFFLINE)


def _read_schema(path: Path) -> Any:
    origin = str(path)
    if not path.is_file():
        raise CatalogueError(f"{origin}: not a file")
    with path.open("rb") as handle:
        raw = handle.read(MAX_SCHEMA_BYTES + 1)
    if len(raw) > MAX_SCHEMA_BYTES:
        raise CatalogueError(f"{origin}: larger than {MAX_SCHEMA_BYTES // 1024} KiB")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CatalogueError(f"{origin}: not JSON in UTF-8 ({_clip(str(exc))})") from None


def load_folder(folder: Path) -> dict[str, Draft202012Validator]:
    """The types of an operator's folder: each ``<type>.json`` file, compiled. Other files
    are not read; a ``.json`` file whose name is no type name refuses the whole folder."""
    if not folder.is_dir():
        raise CatalogueError(f"WFV_ACTION_TYPES_DIR {folder}: not a folder")
    validators: dict[str, Draft202012Validator] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix != ".json":
            continue
        if len(validators) == MAX_TYPE_FILES:
            raise CatalogueError(f"WFV_ACTION_TYPES_DIR {folder}: more than {MAX_TYPE_FILES} schema files")
        if not re.fullmatch(TYPE_PATTERN, path.stem):
            raise CatalogueError(
                f"{path}: the file is named after its type: a lower-case letter, then lower-case "
                "letters, digits or _, at most 64 characters, then .json"
            )
        validators[path.stem] = compile_schema(_read_schema(path), str(path))
    return validators


@cache
def shipped() -> Mapping[str, Draft202012Validator]:
    """The types wfv ships, read from the package once per process."""
    validators = {}
    for entry in resources.files("schemas.action_types").iterdir():
        if entry.name.endswith(".json"):
            name = entry.name.removesuffix(".json")
            validators[name] = compile_schema(json.loads(entry.read_text("utf-8")), f"shipped {entry.name}")
    return MappingProxyType(validators)


class ActionTypes:
    """The catalogue a process checks documents with: the shipped types, then the
    operator's (which win where both name a type)."""

    def __init__(self, operator: Mapping[str, Draft202012Validator] | None = None) -> None:
        base = shipped()
        extra = dict(operator or {})
        self._validators: Mapping[str, Draft202012Validator] = MappingProxyType({**base, **extra})
        self._valid: set[tuple[str, str]] = set()
        self._valid_chars = 0
        self.overridden = frozenset(base.keys() & extra.keys())
        self.added = frozenset(extra.keys() - base.keys())

    @classmethod
    def from_folder(cls, folder: Path | None) -> "ActionTypes":
        return cls(load_folder(folder) if folder is not None else None)

    def __contains__(self, name: object) -> bool:
        return name in self._validators

    @property
    def names(self) -> list[str]:
        return sorted(self._validators)

    def schema(self, name: str) -> Any:
        return self._validators[name].schema

    def closest(self, name: str) -> str | None:
        """The known type ``name`` is most likely a typo of, if any."""
        matches = difflib.get_close_matches(name, list(self._validators), n=1, cutoff=0.8)
        return matches[0] if matches else None

    def config_errors(self, name: str, config: Any) -> Iterator[ConfigError]:
        """How ``config`` breaks the schema of type ``name`` (a known type), lazily, so a
        caller that has enough errors stops the work.

        Configs found valid are remembered (a bounded set): successive versions of a
        workflow repeat most of their actions' configs, and the pure-Python validator was
        the largest part of a publish. The key is the config's ``repr``: for JSON values,
        equal ``repr`` means equal value (a reordered object merely misses the cache)."""
        key = (name, repr(config))
        if key in self._valid:
            return
        seen: set[ConfigError] = set()  # a config missing two fields has two "required" errors
        try:
            for error in self._validators[name].iter_errors(config):
                for found in _explained(name, error):
                    if found not in seen:
                        seen.add(found)
                        yield found
        except Unresolvable:  # compile_schema resolved every reference: not expected
            yield ConfigError((), f"the schema of type {name} refers to a schema wfv does not have")
            return
        if not seen:
            if self._valid_chars + len(key[1]) > VALID_CONFIGS_CHARS:
                self._valid.clear()  # crude but bounded; refilled by the next publishes
                self._valid_chars = 0
            self._valid.add(key)
            self._valid_chars += len(key[1])


def _explained(type_name: str, error: ValidationError) -> Iterator[ConfigError]:
    path = tuple(error.absolute_path)
    if error.validator == "required":
        # One error per missing property, its name only in the message: list them from
        # the instance instead, pointing at where each belongs.
        if isinstance(error.instance, dict) and isinstance(error.validator_value, list):
            properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            for field in error.validator_value:
                if field in error.instance or not isinstance(field, str):
                    continue
                about = properties.get(field, {}).get("description") if isinstance(properties, dict) else None
                text = f"{type_name} needs {field}" + (f": {about}" if isinstance(about, str) else "")
                yield ConfigError((*path, field), _clip(text))
            return
    yield ConfigError(path, _clip(_message(path, error)))


_TYPE_WORDS = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "null",
}


def _message(path: tuple[str | int, ...], error: ValidationError) -> str:
    subject = "the config" if not path else str(path[-1]) if isinstance(path[-1], str) else "the value"
    kind, value = error.validator, cast(Any, error.validator_value)  # checked by check_schema
    about = error.schema.get("description") if isinstance(error.schema, dict) else None
    if kind == "type":
        kinds = [value] if isinstance(value, str) else list(value)
        return f"{subject} must be {' or '.join(_TYPE_WORDS.get(k, k) for k in kinds)}"
    if kind in ("pattern", "format"):
        if "propertyNames" in error.relative_schema_path:
            name = f"field name {_short(error.instance)}"
            return f"{name} must be {about}" if about else f"{name} is not allowed here"
        return f"{subject} must be {about}" if about else f"{subject} is not in the form this type expects"
    if kind == "enum":
        return f"{subject} must be one of {', '.join(_short(v) for v in list(value)[:20])}"
    if kind == "const":
        return f"{subject} must be {_short(value)}"
    if kind == "minLength":
        return f"{subject} must not be empty" if value == 1 else f"{subject} needs {value} characters or more"
    if kind == "maxLength":
        return f"{subject} is longer than {value} characters"
    return f"{subject}: {error.message}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else f"{text[:39]}…"


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else f"{text[: MAX_MESSAGE - 1]}…"
