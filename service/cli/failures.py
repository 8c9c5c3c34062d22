"""What the ``wfv`` command says when it cannot go on: one line naming what to change.

A traceback of several hundred lines (a wrong database URL, ``WFV_PORT=abc``) buries the
one fact a user needs; here each failure we can foresee becomes a sentence, and the
command exits non-zero: 2 when what was given is refused (options, settings), 1 when the
work could not be done (a busy port, a database that does not answer, problems found).
"""

from pydantic import ValidationError
from pydantic_settings import SettingsError

from service.settings import Settings

REFUSED = 2
FAILED = 1


class Refused(Exception):
    """A failure the user can fix, said in one line; ``main`` prints it and exits."""

    def __init__(self, message: str, code: int = FAILED) -> None:
        super().__init__(message)
        self.code = code


def settings_refused(exc: ValidationError | SettingsError) -> Refused:
    """Each refused setting by its variable name, with the problem (and the value given,
    unless it may hold a secret)."""
    if isinstance(exc, SettingsError):
        # pydantic-settings: 'error parsing value for field "gc_thresholds" from source ...'
        field = str(exc).split('"')[1] if str(exc).count('"') >= 2 else ""
        name = f"WFV_{field.upper()}" if field else "a WFV_* setting"
        return Refused(f"wfv: configuration refused: {name} is not valid JSON", REFUSED)
    return Refused(f"wfv: configuration refused: {'; '.join(_reasons(exc))}", REFUSED)


def _reasons(exc: ValidationError) -> list[str]:
    reasons = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        location = [str(part) for part in error["loc"]]
        if not location:  # a rule across settings: its message names them
            reasons.append(message)
            continue
        name = f"WFV_{location[0].upper()}" + "".join(f"[{part}]" for part in location[1:])
        reason = message if message.startswith(name) else f"{name}: {message}"
        if error["type"] != "value_error" and _may_show(location[0]):
            reason += f" (given: {str(error['input'])[:60]!r})"
        reasons.append(reason)
    return reasons


def _may_show(field: str) -> bool:
    """A value is echoed only where it cannot be a secret: not a hidden field, not a URL
    (which may carry a password)."""
    info = Settings.model_fields.get(field)
    return info is not None and info.repr and "url" not in field


def first_line(exc: BaseException) -> str:
    """An exception's message, its first line only (a driver's hint lines follow)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
