"""CORS and the origin policy in a real browser (docs/cors.md).

Two tiny web pages are served from two origins on this machine: one is the municipality's frontend (its settings name
it), the other a foreign site. Each page runs in headless Chromium and calls the live server's /graphql/ with fetch():
it reads public data, submits an idea, opens a preview token and finally tries the old way around CORS, a
form-encoded POST in `no-cors` mode. Chromium enforces CORS itself, so what the page could read is what the browser
allowed. Screenshots land in tests/artifacts/browser/.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from selenium.webdriver.common.by import By

from regions.calls.factories import CallForIdeasPageFactory
from regions.calls.models import CallIndexPage
from regions.ideas.models import IdeaSubmission
from sites.models import MunicipalitySettings
from tests.browser import BrowserOptions, save_screenshot, wait
from tests.tenancy import build_city

SITE = "kiel.localhost"

pytestmark = pytest.mark.browser

# A municipality's frontend in miniature. Every step reports the HTTP status, the data and the error codes it could
# read, or the error fetch() raised when the browser withheld the response.
PAGE = """<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><title>Frontend-Probe</title>
<style>body { font: 16px sans-serif; margin: 2em; } pre { white-space: pre-wrap; }</style></head>
<body>
<h1>Frontend-Probe auf <span id="origin"></span></h1>
<pre id="result"></pre>
<script>
const params = new URLSearchParams(location.search);
const api = params.get("api");
const site = params.get("site");
const SUBMIT = "mutation ($input: SubmitIdeaInput!) { submitIdea(input: $input) { reference errors { code } } }";
const idea = (key) => ({
  site, callId: params.get("call"), title: "Mehr Bänke am Hafen",
  description: "Am Hafen fehlen Sitzgelegenheiten für ältere Menschen.", email: "anna.beispiel@example.org",
  consent: true, consentTextVersion: "2026-01", idempotencyKey: key,
});

async function report(response) {
  const body = await response.json();
  const codes = (body.errors || []).map((error) => (error.extensions || {}).code || error.message);
  return {status: response.status, data: body.data, codes};
}
async function graphql(query, variables) {
  const response = await fetch(api, {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({query, variables}),
  });
  return report(response);
}
async function step(name, action) {
  try { results[name] = await action(); } catch (error) { results[name] = {fetchError: String(error)}; }
}

const results = {origin: location.origin};
document.getElementById("origin").textContent = location.origin;
(async () => {
  await step("read", () => graphql("query ($site: String) { municipality(site: $site) { title } }", {site}));
  await step("readByGet", async () => {
    const query = encodeURIComponent("{ municipality(site: " + JSON.stringify(site) + ") { title } }");
    return report(await fetch(api + "?query=" + query));
  });
  await step("submit", () => graphql(SUBMIT, {input: idea(params.get("key"))}));
  await step("preview", () => graphql(
    "query ($site: String, $token: String) { page(site: $site, token: $token) { title } }",
    {site, token: params.get("token")},
  ));
  // What any page could do before: a form-encoded POST needs no preflight and ignores CORS for sending.
  await step("formPost", async () => {
    const variables = JSON.stringify({input: idea(params.get("key") + "-form")});
    const form = new URLSearchParams({query: SUBMIT, variables});
    const response = await fetch(api, {method: "POST", mode: "no-cors", body: form});
    return {type: response.type};
  });
  document.getElementById("result").textContent = JSON.stringify(results, null, 2);
})();
</script>
</body>
</html>
"""


class PageHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = PAGE.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # the test reports what matters


@pytest.fixture
def page_origins():
    """Two page servers on two ports: two origins, as the browser counts them."""
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), PageHandler) for _ in range(2)]
    threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    yield [f"http://127.0.0.1:{server.server_address[1]}" for server in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser_options():
    """A smaller window than the admin's: the probe page is one column of text."""
    return BrowserOptions(window_size=(1000, 900))


@pytest.fixture
def kiel(live_tree, page_origins):
    """KielRegion with an open call and a draft, its frontend on the first page origin."""
    cache.clear()
    city = build_city("Kiel", "010020000000", SITE)
    frontend = page_origins[0]
    MunicipalitySettings.objects.filter(site=city.site).update(
        frontend_base_url=f"{frontend}/", preview_url=f"{frontend}/preview"
    )
    index = CallIndexPage.objects.child_of(city.home).get()
    city.open_call = CallForIdeasPageFactory(parent=index, title="Offener Ideenaufruf", is_open=True)
    city.draft.title = "Entwurf in Vorschau"
    city.preview_token = city.draft.create_page_preview().token
    return city


def run_page(driver, origin, live_url, city, key, screenshot):
    parameters = {"api": f"{live_url}/graphql/", "site": SITE, "call": city.open_call.pk, "key": key}
    driver.get(f"{origin}/?{urlencode({**parameters, 'token': city.preview_token})}")
    result = wait(driver).until(lambda _: driver.find_element(By.ID, "result").text or None)
    save_screenshot(driver, screenshot)
    return json.loads(result)


def test_the_frontend_origin_reads_and_submits_a_foreign_origin_only_reads(kiel, live_tree, page_origins, browser):
    frontend, foreign = page_origins
    live_url = live_tree.url

    own = run_page(browser, frontend, live_url, kiel, "frontend-key-01", "cors-frontend-origin")
    assert own["origin"] == frontend
    for read in (own["read"], own["readByGet"]):
        assert read == {"status": 200, "data": {"municipality": {"title": "Kiel"}}, "codes": []}, own
    assert own["submit"]["status"] == 200 and own["submit"]["codes"] == [], own
    reference = own["submit"]["data"]["submitIdea"]["reference"]
    assert reference and own["submit"]["data"]["submitIdea"]["errors"] == []
    assert own["preview"] == {"status": 200, "data": {"page": {"title": "Entwurf in Vorschau"}}, "codes": []}, own
    assert own["formPost"] == {"type": "opaque"}, own
    # The JSON submission is stored; the form-encoded one from the same page is not (mutations need JSON).
    assert list(IdeaSubmission.objects.values_list("reference", flat=True)) == [reference]

    other = run_page(browser, foreign, live_url, kiel, "foreign-key-01", "cors-foreign-origin")
    assert other["origin"] == foreign
    for read in (other["read"], other["readByGet"]):
        assert read == {"status": 200, "data": {"municipality": {"title": "Kiel"}}, "codes": []}, other
    assert other["submit"] == {"status": 403, "data": {"submitIdea": None}, "codes": ["FORBIDDEN_ORIGIN"]}, other
    assert other["preview"] == {"status": 403, "data": {"page": None}, "codes": ["FORBIDDEN_ORIGIN"]}, other
    assert other["formPost"] == {"type": "opaque"}, other
    assert list(IdeaSubmission.objects.values_list("reference", flat=True)) == [reference]
