"""A webhook receiver on loopback for the cluster drill: it answers every POST with 204
after a short pause (so the worker is often mid-delivery when the drill kills it) and
records each delivery's event id and the article it announces."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, delay: float = 0.2):
        self.delay = delay
        self.lock = threading.Lock()
        self.deliveries = []  # (time received, event id, event name, article id)
        self.in_flight = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                with receiver.lock:
                    receiver.in_flight += 1
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                    body = json.loads(self.rfile.read(length) or b"{}")
                    time.sleep(receiver.delay)
                    data = body.get("data") or {}
                    row = (time.perf_counter(), body.get("id"), body.get("event"), data.get("id"))
                    with receiver.lock:
                        receiver.deliveries.append(row)
                    self.send_response(204)
                    self.end_headers()
                finally:
                    with receiver.lock:
                        receiver.in_flight -= 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def received(self) -> list[tuple]:
        with self.lock:
            return list(self.deliveries)

    def busy(self) -> bool:
        with self.lock:
            return self.in_flight > 0

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
