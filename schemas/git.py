"""The answer of ``GET /api/v1/workflows/{workflow_id}/git``: how to reach a workflow with git."""

from pydantic import BaseModel, Field


class GitCommand(BaseModel):
    purpose: str = Field(description="What the command does.")
    command: str = Field(description="A shell command; $WFV_TOKEN stands for your API token.")


class GitAccess(BaseModel):
    """The clone URL, how to authenticate, which refs accept pushes, and example commands."""

    clone_url: str
    auth: str
    pushable_refs: list[str] = Field(
        description="Branches a push may update: the open drafts (the 50 newest), and drafts/new."
    )
    notes_ref: str
    commands: list[GitCommand]
