"""The editorial round trip in a real browser: an editor drafts, a moderator approves, the API publishes it.

Drives the German Wagtail admin in headless Chromium against pytest-django's live server, then checks the result
over real HTTP and in Wagtail's audit log. Screenshots of every step land in tests/artifacts/browser/.
"""

import shutil
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from wagtail.models import PageLogEntry

from regions.fields_of_action.models import FieldOfActionIndexPage, FieldOfActionPage
from tests.browser import click, clickable, save_screenshot, visible, wait

PASSWORD = "smartcity-demo"
REPO = Path(__file__).resolve().parent.parent
DOCS_DASHBOARD = REPO / "docs" / "images" / "editor-dashboard.png"

EDITOR = "kielregion-redaktion"
MODERATOR = "kielregion-freigabe"
NEW_TITLE = "Digitale Teilhabe"
NEW_SLUG = "digitale-teilhabe"
NEW_TEASER = "Alle Menschen in der KielRegion sollen digitale Angebote sicher und selbstbestimmt nutzen können."
NEW_PATH = f"/handlungsfelder/{NEW_SLUG}/"

# Labels as Wagtail 7.4 renders them in German; the workflow's name comes from onboarding.
SUBMIT_LABEL = "In Freigabe Smarte KielRegion einreichen"
APPROVE_LABEL = "Freigeben und Veröffentlichen"
SUBMITTED_MESSAGE = f"Seite ‚{NEW_TITLE}‘ erstellt und zur Moderation eingereicht."
# Wagtail's edit view reports an approval from its action menu as a plain update.
APPROVED_MESSAGE = f"Seite ‚{NEW_TITLE}‘ wurde aktualisiert."
# "Approve with comment" shares the action name but first opens a dialog; the plain approval has none.
APPROVE_BUTTON = "footer button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
REVIEW_PANEL_HEADING = "Ihre Überprüfung steht aus"

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_server(live_tree):
    call_command("load_demo_content", "--with-admin", verbosity=0)
    return live_tree.url


def settled(driver):
    """True once the page has loaded and no CSS animation (sliding messages, dropdowns) is still moving.

    Reduced motion switches most of them off; an endless one would never settle and is left out.
    """
    return driver.execute_script(
        "return document.readyState === 'complete' && document.getAnimations().every(animation =>"
        " animation.playState !== 'running' || animation.effect.getComputedTiming().endTime === Infinity);"
    )


def screenshot(driver, name):
    wait(driver).until(settled)
    return save_screenshot(driver, name)


def main_text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def log_in(driver, base_url, username):
    driver.get(base_url + "/admin/login/")
    visible(driver, "#id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    click(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    wait(driver).until(ec.title_contains("Dashboard"))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"


def log_out(driver):
    # Logging out is a POST form inside the account menu at the foot of the sidebar.
    expand(driver, ".sidebar-footer button[aria-haspopup='menu']")
    click(driver, clickable(driver, "form[action='/admin/logout/'] button[type=submit]"))
    wait(driver).until(ec.title_contains("Anmelden"))


def expand(driver, css):
    """Opens a menu by its toggle, clicking again if the admin's JavaScript had not taken over the first click."""
    toggle = clickable(driver, css)

    def expanded(_):
        if toggle.get_attribute("aria-expanded") != "true":
            click(driver, toggle)
        return toggle.get_attribute("aria-expanded") == "true"

    wait(driver).until(expanded)


def open_more_actions(driver):
    """Opens the dropdown next to the footer's primary button, where Wagtail puts the workflow actions."""
    expand(driver, "footer .w-dropdown__toggle")


def graphql(base_url, query, variables=None):
    response = requests.post(base_url + "/graphql/", json={"query": query, "variables": variables or {}}, timeout=10)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


FIELDS_OF_ACTION = "query Fields($site: String) { municipality(site: $site) { title fieldsOfAction { title slug } } }"
PAGE_BY_PATH = """
query Page($site: String, $path: String!) {
  page(site: $site, urlPath: $path) { title urlPath ... on FieldOfActionPage { teaser } }
}
"""


def field_titles(base_url, site):
    municipality = graphql(base_url, FIELDS_OF_ACTION, {"site": site})["municipality"]
    return municipality["title"], [field["title"] for field in municipality["fieldsOfAction"]]


def page_by_path(base_url, site, path):
    return graphql(base_url, PAGE_BY_PATH, {"site": site, "path": path})["page"]


def admin_session(base_url, username):
    """A plain HTTP client logged in through the admin's login form, to see status codes Selenium hides."""
    session = requests.Session()
    login_url = base_url + "/admin/login/"
    session.get(login_url, timeout=10).raise_for_status()
    response = session.post(
        login_url,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": login_url},
        timeout=10,
    )
    assert response.status_code == 200 and response.url == base_url + "/admin/", (response.status_code, response.url)
    return session


def test_editor_drafts_moderator_approves_api_publishes_for_one_municipality_only(demo_server, browser):
    base_url = demo_server
    kiel_index = FieldOfActionIndexPage.objects.get(url_path="/kielregion/handlungsfelder/")
    kassel_field = FieldOfActionPage.objects.filter(url_path__startswith="/kassel/handlungsfelder/").first()
    assert kassel_field is not None

    # The editor drafts a new field of action and hands it to the approval workflow.
    log_in(browser, base_url, EDITOR)
    visible(browser, "main h1")
    dashboard = main_text(browser)
    assert "Smarte KielRegion" in dashboard
    assert "Kassel" not in dashboard
    shutil.copyfile(screenshot(browser, "01-editor-dashboard"), DOCS_DASHBOARD)

    browser.get(f"{base_url}/admin/pages/add/fields_of_action/fieldofactionpage/{kiel_index.pk}/")
    wait(browser).until(ec.title_contains("Neu: Handlungsfeld"))
    visible(browser, "#id_title").send_keys(NEW_TITLE)
    visible(browser, "#id_teaser").send_keys(NEW_TEASER)
    # The slug field sits on another tab and is filled by the admin's JavaScript from the title.
    slug = browser.find_element(By.ID, "id_slug")
    wait(browser).until(lambda _: slug.get_attribute("value") == NEW_SLUG)
    screenshot(browser, "02-editor-new-field-of-action")

    open_more_actions(browser)
    submit = clickable(browser, "footer button[name='action-submit']")
    assert submit.text.strip() == SUBMIT_LABEL
    click(browser, submit)
    wait(browser).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), SUBMITTED_MESSAGE))
    assert "in moderation" in main_text(browser).lower()
    screenshot(browser, "03-editor-submitted")
    log_out(browser)

    new_page = FieldOfActionPage.objects.get(slug=NEW_SLUG)
    assert not new_page.live
    assert new_page.url_path == f"/kielregion{NEW_PATH}"

    # A draft in moderation is not public.
    title, fields = field_titles(base_url, "kielregion.localhost")
    assert title == "Smarte KielRegion"
    assert NEW_TITLE not in fields
    assert page_by_path(base_url, "kielregion.localhost", NEW_PATH) is None

    # The moderator finds it in the review panel, opens it and approves it from the edit view.
    log_in(browser, base_url, MODERATOR)
    review = visible(browser, "#awaiting-review-content")
    assert REVIEW_PANEL_HEADING in main_text(browser)
    assert EDITOR in review.text
    screenshot(browser, "04-moderator-awaiting-review")
    click(browser, review.find_element(By.LINK_TEXT, NEW_TITLE))
    wait(browser).until(ec.title_contains(f"Bearbeite Handlungsfeld: {NEW_TITLE}"))
    open_more_actions(browser)
    approve = clickable(browser, APPROVE_BUTTON)
    assert approve.text.strip() == APPROVE_LABEL
    screenshot(browser, "05-moderator-approve-action")
    click(browser, approve)
    wait(browser).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), APPROVED_MESSAGE))
    row = browser.find_element(By.XPATH, f"//main//tr[.//a[normalize-space()='{NEW_TITLE}']]")
    assert "veröffentlicht" in row.text.lower()
    screenshot(browser, "06-moderator-approved")
    log_out(browser)

    new_page.refresh_from_db()
    assert new_page.live

    # Published now, and only on KielRegion's site.
    title, fields = field_titles(base_url, "kielregion.localhost")
    assert NEW_TITLE in fields
    assert page_by_path(base_url, "kielregion.localhost", NEW_PATH) == {
        "title": NEW_TITLE,
        "urlPath": NEW_PATH,
        "teaser": NEW_TEASER,
    }
    title, fields = field_titles(base_url, "kassel.localhost")
    assert title == "Smart Kassel"
    assert fields and NEW_TITLE not in fields
    assert page_by_path(base_url, "kassel.localhost", NEW_PATH) is None

    # The KielRegion editor cannot open a Kassel page in the editor.
    kassel_edit_url = f"{base_url}/admin/pages/{kassel_field.pk}/edit/"
    log_in(browser, base_url, EDITOR)
    browser.get(kassel_edit_url)
    screenshot(browser, "07-editor-kassel-page-refused")
    assert not browser.find_elements(By.ID, "id_title")
    assert kassel_field.title not in browser.page_source
    refusal = browser.find_element(By.TAG_NAME, "body").text
    # Django's bare 404 or 403 page, or Wagtail's German "no access" message on the dashboard.
    assert any(text in refusal for text in ("Nicht gefunden", "Kein Zugriff", "keinen Zugang")), refusal

    session = admin_session(base_url, EDITOR)
    response = session.get(kassel_edit_url, allow_redirects=False, timeout=10)
    assert response.status_code in (403, 404), (response.status_code, response.headers.get("Location"))
    assert kassel_field.title not in response.text

    # The audit log names who submitted and who approved and published.
    actions = set(PageLogEntry.objects.filter(page=new_page).values_list("action", "user__username"))
    assert {
        ("wagtail.create", EDITOR),
        ("wagtail.workflow.start", EDITOR),
        ("wagtail.workflow.approve", MODERATOR),
        ("wagtail.publish", MODERATOR),
    } <= actions, actions
