"""The pages other systems are connected from: API tokens, webhooks, the API's docs."""

import hashlib
import hmac
import http.server
import threading

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.webhooks.models import Endpoint
from tests.conftest import make_user

from .test_csp import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/articles/")


def test_a_token_is_made_shown_once_used_and_revoked(page, live_server):
    make_user("vic", "viewer")
    watch = Watch(page, live_server.url)
    log_in(page, live_server.url, "vic")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Spreadsheet")
    page.get_by_role("button", name="Create token").click()
    shown = page.locator("#new-token code")
    expect(shown).to_be_visible()
    raw = shown.inner_text().strip()
    assert raw.startswith("qt_")
    api = page.request
    bearer = {"Authorization": f"Bearer {raw}"}
    assert api.get(f"{live_server.url}/api/v1/claims", headers=bearer).status == 200
    refused = api.post(f"{live_server.url}/api/v1/claims", headers=bearer, data={"text": "x"})
    assert refused.status == 403  # a viewer's token reads only
    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_role("cell", name="Spreadsheet")).to_be_visible()
    assert raw not in page.content()
    page.get_by_role("link", name="Revoke…").click()
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_role("cell", name="Spreadsheet")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Revoked")
    assert api.get(f"{live_server.url}/api/v1/claims", headers=bearer).status == 401
    assert watch.problems == []


class Receiver(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((self.headers["X-Quotetrail-Signature"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_reviewer_registers_a_webhook_and_sends_a_test_event(page, live_server):
    make_user("rui", "reviewer")
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.received = []
    watch = Watch(page, live_server.url)
    try:
        log_in(page, live_server.url, "rui")
        page.get_by_role("link", name="Webhooks").click()
        page.get_by_label("Receiver URL").fill(f"http://127.0.0.1:{server.server_port}/hook")
        page.get_by_label("contradiction.found", exact=False).check()
        page.get_by_role("button", name="Register endpoint").click()
        page.get_by_role("button", name="Send test event").click()
        expect(page.locator("table")).to_contain_text("ping")
        call_command("deliver_webhooks", "--send")  # what the worker does
        page.reload()
        expect(page.locator("table")).to_contain_text("delivered")
        secret = Endpoint.objects.get().secret
        signature, body = Receiver.received[0]
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(signature, expected)
    finally:
        server.shutdown()
    assert watch.problems == []


def test_the_api_documentation_runs_in_the_browser(page, live_server):
    watch = Watch(page, live_server.url)
    watch.visit("/api/v1/docs")
    expect(page.get_by_text("Quotetrail API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/contradictions").first).to_be_visible()
    assert watch.problems == []
