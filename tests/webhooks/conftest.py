import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.webhooks.models import Endpoint


class Receiver:
    """A real HTTP server on 127.0.0.1 (a random port) that checks each request's
    signature with `secret` and answers with the codes in `answers`, then 200s."""

    def __init__(self):
        self.secret = ""
        self.answers: list[int] = []
        self.delay = 0.0
        self.requests: list[dict] = []
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def verified(self, headers, body: bytes) -> bool:
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(headers.get("X-Quotetrail-Signature", ""), expected)


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            signed = state.verified(self.headers, body)
            state.requests.append(
                {"path": self.path, "headers": dict(self.headers), "body": body, "signed": signed}
            )
            if state.delay:
                time.sleep(state.delay)
            code = state.answers.pop(0) if state.answers else 200
            if not signed:
                code = 401
            self.send_response(code)
            if 300 <= code < 400:
                self.send_header("Location", f"http://127.0.0.1:{state.port}/elsewhere")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(db, receiver):
    endpoint = Endpoint.objects.create(
        url=receiver.url,
        events=["article.imported", "quote.approved", "stance.approved", "contradiction.found"],
        description="Test receiver",
    )
    receiver.secret = endpoint.secret
    return endpoint
