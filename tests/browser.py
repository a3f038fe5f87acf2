"""Headless Chromium for the tests marked `browser`: one launcher behind the `browser` fixture (tests/conftest.py),
whose options a test module changes by overriding the `browser_options` fixture, and the waits, clicks and screenshots
the browser tests share.

The browser is Debian's chromium with chromium-driver. `make test` leaves the browser tests out on a machine without
them, unless REQUIRE_BROWSER_TESTS is set (CI sets it); a browser test that runs anyway and finds no browser is on a
broken machine, so it fails instead of passing as a skip.
"""

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import ElementClickInterceptedException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Screenshots of the browser tests, for people to look at; nothing compares them.
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "browser"
WAIT_SECONDS = 20

ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Wagtail honours reduced motion, so screenshots and clicks do not catch the admin mid-animation (the help badge
    # pulses for 25 s, messages slide in).
    "--force-prefers-reduced-motion",
)


@dataclass(frozen=True)
class BrowserOptions:
    """What one browser test needs differently; its module overrides the `browser_options` fixture to say so."""

    window_size: tuple[int, int] = (1400, 1000)
    # Keeps Chromium's console log for `driver.get_log("browser")`.
    console_log: bool = False
    # JavaScript that runs in every document, frames included, before the document's own scripts.
    init_script: str = ""


@contextmanager
def headless_chromium(options):
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(f"Headless browser test needs {', '.join(missing)} (apt-get install chromium chromium-driver)")
    with tempfile.TemporaryDirectory(prefix="cms-chromium-", ignore_cleanup_errors=True) as profile:
        chrome_options = webdriver.ChromeOptions()
        chrome_options.binary_location = str(CHROMIUM)
        width, height = options.window_size
        for argument in (*ARGUMENTS, f"--window-size={width},{height}", f"--user-data-dir={profile}"):
            chrome_options.add_argument(argument)
        if options.console_log:
            chrome_options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=chrome_options)
        try:
            if options.init_script:
                driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": options.init_script})
            yield driver
        finally:
            driver.quit()


def save_screenshot(driver, name):
    """Saves what the browser shows as tests/artifacts/browser/<name>.png and returns that path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"could not write {path}"
    return path


def wait(driver):
    return WebDriverWait(driver, WAIT_SECONDS)


def visible(driver, css):
    return wait(driver).until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def clickable(driver, css):
    return wait(driver).until(ec.element_to_be_clickable((By.CSS_SELECTOR, css)))


def click(driver, element):
    """Clicks once nothing covers the element: the admin's sidebar, banners and the edit form's sticky header and
    footer can be in the way, or still moving."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    retry = WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=[ElementClickInterceptedException])
    retry.until(lambda _: element.click() or True)
