"""The OpenAPI document that ``scripts/clients`` generates the typed clients from
(``clients/``): the app's, built with default settings in a throwaway data folder.
``python -m service.api.openapi_document`` prints it."""

import json
import tempfile
from pathlib import Path
from typing import Any

from service.api.app import create_app
from service.settings import Settings


def document() -> dict[str, Any]:
    """The OpenAPI document of the app built with default settings (its shape does not
    depend on them), in a throwaway data folder: what ``scripts/clients`` generates from."""
    with tempfile.TemporaryDirectory(prefix="wfv-openapi-") as data:
        settings = Settings(_env_file=None, data_dir=Path(data), environment="development")
        app = create_app(settings)
        try:
            found = app.openapi()
        finally:
            app.state.container.close()
    return found


def main() -> None:
    """Print the document (``python -m service.api.openapi_document``): JSON, 2-space indent, in
    route order, so a diff of two versions reads route by route."""
    print(json.dumps(document(), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
