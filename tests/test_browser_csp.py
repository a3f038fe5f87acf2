"""The admin works under the Content-Security-Policy: headless Chromium drives the dashboard, the page explorer, a page
edit form with StreamField, rich text (Draftail), date pickers, an inline panel and the live preview, the image
chooser and the image upload, the 2FA setup and the lockout list, and records every CSP violation on the way.

Violations are caught twice: a `securitypolicyviolation` listener installed in every document before the page's own
scripts run, and Chromium's console log, which also reports what is refused before any script could listen.
"""

import io
import json
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

from cms.media.factories import ImageFactory
from regions.projects.models import ProjectPage
from sites.models import MunicipalityHomePage
from tests.browser import BrowserOptions, click, clickable, visible, wait

PASSWORD = "smartcity-demo"
LOCKOUT_TEXT = "Zu viele fehlgeschlagene Anmeldeversuche"
# Wagtail's autosave and live preview wait this long after the last change before they send.
AUTOSAVE_DEBOUNCE_SECONDS = 1.0

pytestmark = pytest.mark.browser

# Runs in every document (frames included) before its own scripts: keeps violations across navigations and counts
# the requests the admin's scripts have under way.
RECORD_VIOLATIONS = """
window.pendingRequests = 0;
const originalFetch = window.fetch;
window.fetch = (...args) => {
  window.pendingRequests += 1;
  return originalFetch(...args).finally(() => { window.pendingRequests -= 1; });
};
const originalSend = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (...args) {
  window.pendingRequests += 1;
  this.addEventListener('loadend', () => { window.pendingRequests -= 1; });
  return originalSend.apply(this, args);
};
document.addEventListener('securitypolicyviolation', (event) => {
  const seen = JSON.parse(sessionStorage.getItem('cspViolations') || '[]');
  seen.push({
    page: document.location.pathname,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ':' + event.lineNumber,
    sample: event.sample,
  });
  sessionStorage.setItem('cspViolations', JSON.stringify(seen));
});
"""


@pytest.fixture
def browser_options():
    """Keeps Chromium's console log and records CSP violations in every document."""
    return BrowserOptions(console_log=True, init_script=RECORD_VIOLATIONS)


class Violations:
    """What the browser reported so far: listener records plus console lines about the Content Security Policy."""

    def __init__(self, driver):
        self.driver = driver
        self.found = []

    def collect(self, step):
        recorded = self.driver.execute_script(
            "const seen = sessionStorage.getItem('cspViolations') || '[]';"
            "sessionStorage.removeItem('cspViolations'); return seen;"
        )
        self.found += [{"step": step, **violation} for violation in json.loads(recorded)]
        self.found += [
            {"step": step, "console": entry["message"]}
            for entry in self.driver.get_log("browser")
            if "Content Security Policy" in entry["message"]
        ]


def settled(driver):
    return driver.execute_script("return document.readyState === 'complete';")


def open_page(driver, url, title_part=""):
    driver.get(url)
    wait(driver).until(ec.title_contains(title_part))
    wait(driver).until(settled)


def network_idle(driver):
    """Waits for the admin's debounced background requests (autosave, preview) to start and then to finish."""
    time.sleep(AUTOSAVE_DEBOUNCE_SECONDS)
    wait(driver).until(lambda _: driver.execute_script("return window.pendingRequests === 0;"))


def preview_loaded(driver):
    return driver.execute_script(
        "const frame = document.querySelector(\"[data-side-panel='preview'] iframe\");"
        "const doc = frame && frame.contentDocument;"
        "return Boolean(doc && doc.readyState === 'complete' && doc.querySelector('iframe'));"
    )


def png_file(directory):
    path = Path(directory) / "rathaus.png"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 110, 160)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def submit_login(driver, base, username, password):
    open_page(driver, f"{base}/admin/login/", "Anmelden")
    visible(driver, "#id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    button = driver.find_element(By.CSS_SELECTOR, "form button[type=submit]")
    click(driver, button)
    wait(driver).until(ec.staleness_of(button))
    wait(driver).until(settled)


def choose_block(driver, stream_css, label):
    """Opens a StreamField's "insert block" menu and picks the block with this label."""
    click(driver, clickable(driver, f"{stream_css} .c-sf-add-button"))
    option = wait(driver).until(
        ec.element_to_be_clickable((By.XPATH, f"//*[@role='option'][.//*[normalize-space()='{label}']]"))
    )
    click(driver, option)


@pytest.fixture
def admin_server(live_tree):
    call_command("load_demo_content", "--with-admin", verbosity=0)
    # In KielRegion's collection: the chooser offers only images of the municipality whose page is edited.
    home = MunicipalityHomePage.objects.get(slug="kielregion")
    ImageFactory(title="Rathaus am Abend", collection_id=home.media_collection_id)
    return live_tree.url


def test_the_admin_works_without_a_single_csp_violation(admin_server, browser, tmp_path):
    base = admin_server
    driver = browser
    violations = Violations(driver)
    project = ProjectPage.objects.filter(url_path__startswith="/kielregion/").first()

    # Five wrong passwords for one account: the fifth answer is the login page with the German lockout message.
    for attempt in range(1, 6):
        submit_login(driver, base, "kielregion-redaktion", f"falsch-{attempt}")
    wait(driver).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), LOCKOUT_TEXT))
    violations.collect("login lockout")

    submit_login(driver, base, "admin", PASSWORD)
    wait(driver).until(ec.title_contains("Dashboard"))
    wait(driver).until(settled)
    violations.collect("login and dashboard")

    open_page(driver, f"{base}/admin/pages/", "Erkunden")
    open_page(driver, f"{base}/admin/pages/{project.get_parent().pk}/", "Erkunden: Projekte")
    violations.collect("page explorer")

    open_page(driver, f"{base}/admin/pages/{project.pk}/edit/", project.title)
    violations.collect("page edit form")

    # StreamField with a rich-text block: Draftail takes the text.
    choose_block(driver, "[data-contentpath='body']", "Text")
    editor = visible(driver, "[data-contentpath='body'] .Draftail-Editor [contenteditable='true']")
    click(driver, editor)
    editor.send_keys("Die Stadt testet Sensoren im Quartier.")
    wait(driver).until(lambda _: "Sensoren" in editor.text)
    violations.collect("StreamField and Draftail")

    # The image chooser: the modal lists the image, its upload tab shows the form, choosing fills the field.
    click(driver, clickable(driver, "#id_image-chooser .unchosen [data-chooser-action-choose]"))
    modal = visible(driver, ".modal-dialog")
    wait(driver).until(lambda _: "Rathaus am Abend" in modal.text)
    click(driver, clickable(driver, ".modal-dialog a[href='#tab-upload']"))
    visible(driver, ".modal-dialog #tab-upload form")
    click(driver, clickable(driver, ".modal-dialog a[href='#tab-search']"))
    click(driver, wait(driver).until(ec.element_to_be_clickable((By.LINK_TEXT, "Rathaus am Abend"))))
    wait(driver).until(lambda _: "Rathaus am Abend" in driver.find_element(By.ID, "id_image-chooser").text)
    violations.collect("image chooser")

    # A date picker and a new row of an inline panel.
    click(driver, clickable(driver, "#id_start_date"))
    visible(driver, ".xdsoft_datetimepicker[style*='display: block']")
    click(driver, clickable(driver, "#id_partners-ADD"))
    visible(driver, "#id_partners-0-name").send_keys("Stadtwerke")
    violations.collect("date picker and inline panel")

    # Saving the draft reloads the form with Wagtail's message. Autosave must be done first: the live server's
    # SQLite database refuses a second writer at the same moment.
    network_idle(driver)
    click(driver, clickable(driver, "footer button[type='submit']:not([name])"))
    wait(driver).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "aktualisiert"))
    wait(driver).until(settled)
    violations.collect("saved draft")

    # The live preview in the side panel shows the headless preview page, which frames the frontend.
    click(driver, clickable(driver, "[data-side-panel-toggle='preview']"))
    wait(driver).until(preview_loaded)
    violations.collect("preview panel")

    # Multiple image upload.
    open_page(driver, f"{base}/admin/images/multiple/add/", "Bilder hinzufügen")
    driver.find_element(By.ID, "fileupload").send_keys(str(png_file(tmp_path)))
    visible(driver, "#upload-list .upload-success")
    violations.collect("image upload")

    open_page(driver, f"{base}/admin/images/", "Bilder")
    violations.collect("image listing")

    # This instance's own admin pages: the lockout list and the two-factor setup with its QR code.
    open_page(driver, f"{base}/admin/anmeldesperren/", "Gesperrte Anmeldungen")
    open_page(driver, f"{base}/admin/2fa/devices/new", "Zwei-Faktor-Anmeldung")
    wait(driver).until(lambda _: driver.execute_script("return document.querySelector('main img').naturalWidth > 0"))
    violations.collect("lockouts and 2FA setup")

    assert not violations.found, json.dumps(violations.found, indent=1, ensure_ascii=False)
