"""Every screen of ``/ui`` opens on a real workflow, is served as the built app, and passes
axe-core with no serious or critical violation, at desktop and phone width."""

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.ui.conftest import (
    Server,
    accessible,
    contacts_in_flight,
    second_version,
    shot,
    sign_in,
    workflow,
)

pytestmark = pytest.mark.e2e

# Each tab, and what shows once its screen has loaded.
SCREENS = {
    "History": "Newest first",
    "Graph": "Trigger",
    "Compare": "From",
    "Journeys": "Contact id",
    "Impact": "Moving the 4 live contacts of v1 to v2",
    "Rollout": "Start a rollout",
    "Review": "Open a review",
    "Audit": "Every action",
    "Migrate": "Migrate contacts",
    "Edit": "Saved",
}


def test_the_ui_is_the_built_app_served_by_the_service_itself(server: Server) -> None:
    page = httpx.get(f"{server.base}/ui", follow_redirects=True)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<div id="root"></div>' in page.text
    scripts = [part.split('"')[0] for part in page.text.split('src="./')[1:]]
    assert scripts, page.text
    script = httpx.get(f"{server.base}/ui/{scripts[0]}")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_screen_opens_and_passes_axe(page: Page, server: Server, width: int) -> None:
    name = f"Screens flow {width}"
    wid = workflow(server, name)
    contacts_in_flight(server, wid)
    second_version(server, wid)
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 800})
    page.goto(f"{server.base}/ui/")
    accessible(page, f"sign-in at {width}px")
    sign_in(page, server, "alice")
    accessible(page, f"workflows list at {width}px")
    page.get_by_role("button", name="New workflow").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    accessible(page, f"the new-workflow dialog at {width}px")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("navigation", name="Workflows").get_by_role("button", name=name, exact=True).click()
    for tab, shown in SCREENS.items():
        page.get_by_role("tab", name=tab).click()
        panel = page.get_by_role("tabpanel")
        expect(panel).to_contain_text(shown)
        expect(panel.get_by_text("Loading")).to_have_count(0)
        accessible(page, f"{tab} at {width}px")
        shot(page, f"screen-{tab.lower()}-{width}")
