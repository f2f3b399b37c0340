import pytest

from tests.browser.conftest import login, screenshot
from tests.staff.factories import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_login_lands_on_home(page, manager):
    login(page, manager.user.username, DEMO_PASSWORD)
    assert page.url.rstrip("/") == page.base_url.rstrip("/")
    assert manager.user.username in page.inner_text("nav")
    screenshot(page, "home")


def test_wrong_password_is_refused(page, manager):
    login(page, manager.user.username, "wrong-password")
    assert "/login/" in page.url
    assert page.locator(".error").is_visible()
