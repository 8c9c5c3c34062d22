"""Request and answer models of draft auto-save (``…/versions/{version}/draft``)."""

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from schemas.text import RequestBody
from schemas.timestamps import Timestamp
from schemas.workflow import FreeForm, check_document_bounds

# Revisions live in a 32-bit column; a client cannot push one past it.
MAX_REVISION = 2_000_000_000

Revision = Annotated[int, Field(ge=0, le=MAX_REVISION)]

# A working copy need not be a valid workflow yet: an editor saves what its user typed,
# half-written actions included, and refusing that would lose it. It is held to the
# format's size limits; the whole model is checked when the draft is committed.
WorkingCopy = Annotated[dict[str, Any], AfterValidator(check_document_bounds)]


class DraftSave(RequestBody):
    """One auto-save: the whole working copy, or an RFC 7386 merge patch against the save
    numbered ``revision`` (0: against the version itself). Either may leave the document
    incomplete or invalid; committing the draft validates it."""

    model_config = ConfigDict(extra="forbid")

    revision: Revision
    definition: WorkingCopy | None = None
    patch: FreeForm | None = None

    @model_validator(mode="after")
    def _one_of_definition_or_patch(self) -> "DraftSave":
        if (self.definition is None) == (self.patch is None):
            raise ValueError("send exactly one of 'definition' or 'patch'")
        return self


class DraftSaved(BaseModel):
    """The save's new revision. ``merged``: it was based on an older revision and merged
    with the newer saves; ``definition`` is then the merged document, for the editor."""

    revision: int
    saved_at: Timestamp
    merged: bool = False
    definition: dict[str, Any] | None = None


class DraftPublic(BaseModel):
    definition: dict[str, Any]
    revision: int
    saved_at: Timestamp


class DraftCommit(RequestBody):
    """Turn the working copy into the version's next edit. ``lock_version`` (or If-Match)
    is the version's optimistic lock; ``revision``, when given, must still be the draft's."""

    model_config = ConfigDict(extra="forbid")

    lock_version: int | None = Field(default=None, ge=1)
    revision: Annotated[int, Field(ge=1, le=MAX_REVISION)] | None = None
    message: Annotated[str, StringConstraints(max_length=2000)] | None = None
