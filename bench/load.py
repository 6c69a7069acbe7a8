"""Load on a running Quotetrail: logged-in keep-alive clients, closed-loop drivers and
the summary (requests/s, p50, p95, p99, errors, answer sizes) every report prints.

Shared by the benchmark (bench/run.py, bench/mixed.py) and the outage drill.
"""

import http.client
import itertools
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

PASSWORD = "bench-password-not-secret"  # noqa: S105 - a throwaway local account


class Client:
    """One keep-alive connection with the session and CSRF cookies of a logged-in user."""

    def __init__(self, port: int, cookies: dict, csrf: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "X-CSRFToken": csrf,
            "Referer": f"http://127.0.0.1:{port}/",
        }
        self.last_headers = None  # the last answer's headers (None when there was none)

    def request(self, method, path, body=None, headers=None) -> tuple[int, bytes]:
        merged = {**self.headers, **(headers or {})}
        self.last_headers = None
        try:
            self.connection.request(method, path, body=body, headers=merged)
            response = self.connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            return 0, b""
        self.last_headers = response.headers
        return response.status, answer


def sign_in(port: int, username: str, password: str) -> tuple[int, dict]:
    """Post the login form once: the answer's status and the cookies set along the way."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = cookie_jar(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    cookies.update(cookie_jar(response))
    return response.status, cookies


def login(port: int) -> tuple[dict, str]:
    status, cookies = sign_in(port, "bench", PASSWORD)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"Could not log in to the benchmark server (HTTP {status}).")
    return cookies, cookies["csrftoken"]


def cookie_jar(response) -> dict:
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


@dataclass
class Samples:
    """What one kind of request measured: latencies (s), answer sizes (bytes), errors."""

    latencies: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    errors: int = 0

    def add(self, latency: float, size: int, ok: bool) -> None:
        self.latencies.append(latency)
        self.sizes.append(size)
        self.errors += not ok

    def merge(self, other: "Samples") -> None:
        self.latencies += other.latencies
        self.sizes += other.sizes
        self.errors += other.errors


def percentile(ordered: list[float], p: float) -> float:
    """The p-th percentile of sorted values: the value below which p % of them fall."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def summary(samples: Samples, elapsed: float) -> dict:
    """A report row: requests, requests/s over `elapsed`, p50/p95/p99 in ms, errors, sizes."""
    latencies = sorted(samples.latencies)
    nan = float("nan")
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed if elapsed else nan,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else nan,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "errors": samples.errors,
        "answer_bytes_median": statistics.median(samples.sizes) if samples.sizes else nan,
        "answer_bytes_max": max(samples.sizes, default=nan),
    }


def drive(port, session, seconds, clients, requests, ok=(200,)) -> tuple[dict[str, Samples], float]:
    """Closed loop: `clients` keep-alive clients each send, one after the other, what
    `requests(k)` yields for client k (label, method, path, body, headers) until `seconds`
    have passed. Returns each label's samples and the time the clients took."""
    samples: dict[str, Samples] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(k):
        client = Client(port, *session)
        mine: dict[str, Samples] = {}
        sequence = requests(k)
        while time.perf_counter() < deadline:
            label, method, path, body, headers = next(sequence)
            started = time.perf_counter()
            status, answer = client.request(method, path, body, headers)
            mine.setdefault(label, Samples()).add(
                time.perf_counter() - started, len(answer), status in ok
            )
        with lock:
            for label, measured in mine.items():
                samples.setdefault(label, Samples()).merge(measured)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - started


def measure(name, port, session, seconds, clients, make_request, ok=(200,)) -> dict:
    """One endpoint under `clients` concurrent clients for `seconds`: its report row."""

    def requests(k):
        return ((name, *make_request()) for _ in itertools.repeat(None))

    samples, elapsed = drive(port, session, seconds, clients, requests, ok)
    return {"name": name, **summary(samples.get(name, Samples()), elapsed)}
