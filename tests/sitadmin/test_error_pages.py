"""The app's own 403, 404 and 500 pages: in the layout, in the viewer's language, also with DEBUG on."""

import pytest
from django.test import Client
from django.urls import path

from sitadmin.urls import urlpatterns as site_urls


def _boom(request):
    raise RuntimeError("kaput")


urlpatterns = [path("boom/", _boom), *site_urls]


@pytest.fixture
def browser_as():
    def make(staff, language="zh-hans"):
        client = Client(raise_request_exception=False)
        client.force_login(staff.user)
        client.cookies["django_language"] = language
        return client

    return make


@pytest.mark.parametrize("debug", [True, False])
def test_an_operator_on_a_manager_page_gets_the_apps_403(settings, browser_as, operator, debug):
    settings.DEBUG = debug
    response = browser_as(operator).get("/dashboard/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "没有权限" in body and 'class="topnav"' in body and "返回首页" in body


@pytest.mark.parametrize("debug", [True, False])
def test_a_customer_out_of_reach_is_the_apps_404_in_english(settings, browser_as, operator, debug):
    settings.DEBUG = debug
    response = browser_as(operator, "en").get("/customers/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body and "Back to the home page" in body
    assert "URLconf" not in body and "Using the URLconf" not in body


@pytest.mark.parametrize("debug", [True, False])
def test_a_crash_is_the_apps_500_without_internals(settings, browser_as, manager, debug):
    settings.DEBUG = debug
    settings.ROOT_URLCONF = __name__
    response = browser_as(manager).get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "出错了" in body and "kaput" not in body and "Traceback" not in body


def test_api_paths_keep_json_errors(settings, client_for, operator):
    settings.DEBUG = True
    response = client_for(operator).get("/api/v1/customers/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_an_unknown_path_with_debug_on_lists_no_url_patterns(settings, browser_as, manager):
    settings.DEBUG = True
    response = browser_as(manager).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "admin/" not in body
