"""The catalogue of action types (``schemas.catalogue``): each type's JSON Schema, so an
editor can draw a form per type and check a config before publishing does.

One catalogue per process (the shipped types and the operator's ``WFV_ACTION_TYPES_DIR``),
the same for every tenant: publishing checks every tenant's documents with it, so the
route answers any reader the same list."""

from typing import Any

from fastapi import APIRouter

from schemas.api import ActionTypeList, ActionTypePublic
from service.api.deps import ContainerDep, Reader

router = APIRouter(prefix="/api/v1/action-types", tags=["action-types"])


def _described(name: str, schema: Any) -> ActionTypePublic:
    about = schema if isinstance(schema, dict) else {}
    title, description = about.get("title"), about.get("description")
    return ActionTypePublic(
        name=name,
        title=title if isinstance(title, str) else name,
        description=description if isinstance(description, str) else None,
        config_schema=schema,
    )


@router.get("", response_model=ActionTypeList)
def list_action_types(_reader: Reader, container: ContainerDep) -> ActionTypeList:
    """Every action type publishing knows, by name: its title, description and the JSON
    Schema of its `config`."""
    # ``_reader``: the read permission is checked; whose it is changes nothing here.
    types = container.action_types
    return ActionTypeList(items=[_described(name, types.schema(name)) for name in types.names])
