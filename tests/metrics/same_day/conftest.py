"""The browser fixtures (Chromium through Playwright) for the like-for-like dashboard test."""

from tests.browser.conftest import browser, page  # noqa: F401 - fixtures shared with tests/browser
