import pytest

from tests.browser.conftest import login, screenshot
from tests.staff.factories import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_from_local_assets(page, manager):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, manager.user.username, DEMO_PASSWORD)
    page.goto(f"{page.base_url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(path.rstrip("/").endswith("/api/v1/customers") for path in paths)
    assert any("/api/v1/auth/token" in path for path in paths)
    # Every asset and the schema come from the live server itself: no CDN.
    assert requested
    assert all(url.startswith(page.base_url) for url in requested), [
        url for url in requested if not url.startswith(page.base_url)
    ]
    screenshot(page, "api-docs")
