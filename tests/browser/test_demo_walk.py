"""Each demo role's morning in Chromium, in Chinese and in English: every link of the role's navigation
opens a page the role can use, in the chosen language only, and every Excel download on those pages
opens with its header in that language and phones masked as the viewer sees them.

The rule for language. The demo's data is Chinese (names, teams, groups, remarks), so a CJK character
on an English page is untranslated only if it is not part of a value the database holds: every stored
text with CJK in it is blanked out first, and whatever CJK is left came from a template, a label, an
enum or a message. In Chinese mode, a label is bilingual when a Chinese word is followed by an English
word ("进 advance"); data values (usernames, codes) are blanked out first there too.
"""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from openpyxl import load_workbook

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "sitadmin-demo"
ROLES = {"manager": "manager", "team_lead": "lead1", "operator": "op1"}
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]+")
BILINGUAL = re.compile(r"[\u3400-\u9fff][）)]?[ ]+[a-z]{3,}\b")
FULL_PHONE = re.compile(r"^1[3-9]\d{9}$")
MASKED_PHONE = re.compile(r"^1[3-9]\d\*{4}\d{4}$")
# An amount of a thousand or more with cents, shown without ¥ (1,234.50 or 1234.50): money is ¥1,234.50.
BARE_AMOUNT = re.compile(r"(?<![¥\d,.])(?:\d{1,3}(?:,\d{3})+|\d{4,})\.\d{2}(?![\d%×])")
TEAM_CODE = re.compile(r"(?<![\w-])t[12](?![\w-])")
PLACEHOLDER = re.compile(r"\{\w+\}")
DEBUG_PAGE = ("Traceback", "Using the URLconf", "django.core", "DEBUG = True")
APPS = ("customers", "staff", "campaigns", "metrics", "auth")


@pytest.fixture
def demo(live_server):
    """A smaller demo (same story, fewer customers and days) with its KPIs computed."""
    call_command("seed_demo", "--customers", "200", "--days", "14", stdout=io.StringIO())
    call_command("compute_kpis", "--missing", stdout=io.StringIO(), stderr=io.StringIO())
    return _data_values()


def _data_values() -> list[str]:
    values = _stored_texts()
    # A multi-line text (a broadcast task's content) shows line by line; an SOP step's content shows
    # with its {name} and {owner} filled in, so its pieces between the placeholders are data too.
    values |= {line.strip() for value in values for line in value.splitlines() if len(line.strip()) > 1}
    values |= {piece for value in values for piece in PLACEHOLDER.split(value) if len(piece) > 1}
    return sorted(values, key=len, reverse=True)


def _stored_texts() -> set[str]:
    """The texts the database holds that a page may show: every stored text with CJK in
    it (names, teams, remarks, messages, keywords…) and every username and code."""
    values: set[str] = set(get_user_model().objects.values_list("username", flat=True))
    for model in (m for app in APPS for m in apps.get_app_config(app).get_models()):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                for stored in model.objects.values_list(field.name, flat=True):
                    values.update(text for text in _strings(stored) if CJK.search(text))
            elif isinstance(field, models.CharField | models.TextField):
                stored = model.objects.values_list(field.name, flat=True).distinct()
                if field.name != "code":
                    stored = stored.filter(**{f"{field.name}__regex": "[\u3400-\u9fff]"})
                values.update(v for v in stored if v)
    return values


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [text for item in value for text in _strings(item)] if isinstance(value, list) else []


def _page_text(page) -> tuple[str, str]:
    """What a reader can see (the body's text, titles and placeholders), and the charts' JSON data."""
    return page.evaluate(
        """() => {
            const parts = [document.title, document.body.innerText];
            for (const el of document.querySelectorAll('[title], [placeholder], [aria-label]')) {
                parts.push(el.getAttribute('title') || '', el.getAttribute('placeholder') || '',
                           el.getAttribute('aria-label') || '');
            }
            const charts = [...document.querySelectorAll('script[type="application/json"]')].map(el => el.textContent);
            return [parts.join('\\n'), charts.join('\\n')];
        }"""
    )


def _without(text: str, values: list[str]) -> str:
    text = text.replace("简体中文", " ")  # the language switcher names each language in itself
    for value in values:
        if value in text:
            text = text.replace(value, " ")
    return text


def _language_problems(text: str, language: str) -> list[str]:
    """Untranslated text on an English page, bilingual labels on a Chinese one (data values removed)."""
    if language == "en":
        return sorted(set(CJK.findall(text)))
    return sorted({match.group(0) for match in BILINGUAL.finditer(text)})


def _nav_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("nav.topnav a[href]", "els => els.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(h for h in hrefs if h.startswith("/") and not h.startswith(("/i18n/", "/logout/"))))


def _switch_language(page, language: str) -> None:
    with page.expect_navigation():
        page.select_option("form.lang select", language)
    assert page.get_attribute("html", "lang") == language


def _check_export(page, link, *, language: str, role: str, name: str) -> str:
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    book = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows, f"{name}: empty workbook"
    header = [str(cell) for cell in rows[0] if cell is not None]
    if language == "en":
        assert not CJK.search(" ".join(header)), f"{name}: header not in English: {header}"
    else:
        assert all(CJK.search(cell) for cell in header), f"{name}: header not in Chinese: {header}"
    if "Phone" in header or "手机号" in header:
        column = header.index("Phone" if language == "en" else "手机号")
        phones = [row[column] for row in rows[1:] if row[column]]
        assert phones, f"{name}: no phones"
        expected = {"manager": FULL_PHONE, "team_lead": MASKED_PHONE, "operator": FULL_PHONE}[role]
        # An operator sees only their own customers, whose numbers they need in full; a team lead sees them masked.
        assert all(expected.match(p) for p in phones), f"{name}: {role} got phones {phones[:5]}"
    return download.suggested_filename


def _walk(page, *, role: str, language: str, values: list[str]) -> dict:
    problems: dict[str, list] = {}
    exports: list[str] = []
    links = _nav_links(page)
    for href in links:
        response = page.goto(f"{page.base_url}{href}")
        where = f"{role} {language} {href}"
        text, charts = _page_text(page)
        if response.status != 200:
            problems.setdefault(where, []).append(f"status {response.status}")
        if any(marker in text for marker in DEBUG_PAGE):
            problems.setdefault(where, []).append("debug page")
        if page.locator(".empty h2:has-text('该页按全公司统计'), .error-page").count():
            problems.setdefault(where, []).append("dead end")
        shown = _without(text, values)
        untranslated = _language_problems(f"{shown}\n{_without(charts, values)}", language)
        if untranslated:
            problems.setdefault(where, []).append(untranslated)
        # Money as ¥35,327.60 and teams by name, never a bare 35327.60 or a team code.
        bare = sorted(set(BARE_AMOUNT.findall(shown)))
        if bare:
            problems.setdefault(where, []).append(f"amounts without ¥: {bare[:5]}")
        if TEAM_CODE.search(text):
            problems.setdefault(where, []).append(f"team code: {TEAM_CODE.search(text).group(0)}")
        slug = href.strip("/").replace("/", "-") or "home"
        screenshot(page, f"walk-{role}-{language}-{slug}")
        for n, link in enumerate(page.locator("a[href*='format=xlsx']").all()):
            exports.append(_check_export(page, link, language=language, role=role, name=f"{where} export {n}"))
    return {"links": links, "problems": problems, "exports": exports}


EXPORTS = {
    # The dashboard breakdown, the staff board, the customer list, the funnel and the groups page.
    "manager": ("kpis-", "staff-board-", "customers", "funnel-", "groups-"),
    "team_lead": ("kpis-", "staff-board-", "customers"),
    "operator": ("customers",),
}


def test_every_nav_link_of_each_demo_role_in_both_languages(page, demo):
    walks = {}
    for role, username in ROLES.items():
        page.context.clear_cookies()
        login(page, username, PASSWORD)
        for language in ("zh-hans", "en"):
            if language != "zh-hans":
                _switch_language(page, language)
            walks[role, language] = _walk(page, role=role, language=language, values=demo)
    assert {key: walk["problems"] for key, walk in walks.items() if walk["problems"]} == {}
    for (role, language), walk in walks.items():
        for prefix in EXPORTS[role]:
            assert any(name.startswith(prefix) for name in walk["exports"]), (role, language, prefix, walk["exports"])
        assert walk["links"] == walks[role, "zh-hans"]["links"]
        assert "/customers/" in walk["links"]
