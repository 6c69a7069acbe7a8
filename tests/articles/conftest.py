"""A small web on loopback: saved pages and feeds, and every way a fetch can go wrong."""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "web"
HUGE_BYTES = 50 * 1024 * 1024
FEED_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml"}


class Web(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[str] = []
        self.huge_sent = 0
        self.slow_seconds = 3.0

    def handle_error(self, request, client_address):
        pass  # a client that hung up (refused a huge page, timed out) is expected here

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path


class Handler(BaseHTTPRequestHandler):
    server: Web

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html", **headers):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        self.server.requests.append(path)
        if path.startswith("/pages/"):
            file = FIXTURES / path.removeprefix("/pages/")
            if not file.is_file():
                return self._send(404, b"<h1>Not found</h1>")
            return self._send(200, file.read_bytes(), "text/html; charset=utf-8")
        if path.startswith("/feeds/"):
            file = FIXTURES / path.removeprefix("/feeds/")
            if not file.is_file():
                return self._send(404, b"")
            body = file.read_text().replace("{base}", self.server.base).encode()
            return self._send(200, body, FEED_TYPES[file.suffix])
        if path == "/empty":
            return self._send(200, b"", "text/html; charset=utf-8")
        if path == "/blank":
            return self._send(200, b"  \n\n  ", "text/html")
        if path == "/huge":
            # No Content-Length: the size is only found out by reading.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"word " * 13000 + b"</p>\n"
            try:
                while self.server.huge_sent < HUGE_BYTES:
                    self.wfile.write(chunk)
                    self.server.huge_sent += len(chunk)
            except OSError:
                pass
            return None
        if path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(100 * 1024 * 1024))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(b"<p>start</p>")
            return None
        if path == "/image.png":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        if path == "/report.pdf":
            return self._send(200, b"%PDF-1.7\n%...", "application/pdf")
        if path == "/no-type":
            return self._send(200, b"<p>hello</p>", "")
        if path == "/loop-a":
            return self._send(302, b"", Location="/loop-b")
        if path == "/loop-b":
            return self._send(302, b"", Location=self.server.url("/loop-a"))
        if path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            return self._send(302, b"", Location=f"/chain/{n + 1}")
        if path == "/moved":
            return self._send(301, b"", Location="/pages/second.html")
        if path == "/slow":
            time.sleep(self.server.slow_seconds)
            return self._send(200, b"<p>late</p>")
        if path == "/trickle":
            # Answers at once, then sends a little every 0.3 s: never done in time.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(20):
                    self.wfile.write(b"<p>a little more</p>\n")
                    self.wfile.flush()
                    time.sleep(0.3)
            return None
        if path == "/long-link.rss":
            link = self.server.url("/pages/third.html?" + "x" * 1200)
            body = (
                '<?xml version="1.0"?><rss version="2.0"><channel><title>Long</title>'
                f"<item><title>Long</title><link>{link}</link></item>"
                f"<item><title>Floods</title><link>{self.server.url('/pages/third.html')}</link>"
                "</item></channel></rss>"
            ).encode()
            return self._send(200, body, "application/rss+xml")
        if path == "/error":
            return self._send(500, b"<h1>Internal error</h1>")
        return self._send(404, b"<h1>Not found</h1>")


@pytest.fixture
def web():
    server = Web()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetch_settings(settings):
    """Short limits, so the refusals are quick to reach."""
    settings.QUOTETRAIL_FETCH_TIMEOUT = 1
    settings.QUOTETRAIL_FETCH_MAX_BYTES = 256 * 1024
    settings.QUOTETRAIL_FETCH_MAX_REDIRECTS = 3
    settings.QUOTETRAIL_FETCH_ALLOW_PRIVATE = True
    return settings
