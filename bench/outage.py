"""Database outage drill: `make outage` (or `.venv/bin/python bench/outage.py --help`).

Starts the production server (gunicorn, PostgreSQL connection pool) on a small
database of its own, seeded, and drives a mixed load from several clients:
reads (the seed article, the board, a search) and writes (tag POSTs, each
creating a quote whose text is a unique marker word). In the middle PostgreSQL is
stopped, kept down for a few seconds and started again while the load goes on and
the app is left alone. Reports the requests that failed during the outage (count,
status codes), the time from PostgreSQL accepting connections again to the first
successful read and write, failures after that, and checks that every write
acknowledged with a 2xx is in the database (zero lost). Writes the figures to
bench/results/outage-*.json.

Stopping PostgreSQL interrupts everything else using it on this machine (test
runs included): the outage is kept short.
"""

import argparse
import collections
import datetime
import itertools
import json
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import Client, login
from run import ROOT, create_database, environment, manage, setup, start_server

MARKERS = """
import json
from apps.quotes.models import Quote
print("OUTAGE " + json.dumps(sorted(
    Quote.objects.filter(article_id=%(article)d).values_list("exact", flat=True))))
"""


def pg_cluster(action: str) -> float:
    """Stop or start the local cluster; returns how long the command took."""
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if p.is_dir())
    if not versions:
        raise SystemExit("No PostgreSQL cluster under /etc/postgresql to restart.")
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", action]
    if action == "stop":
        command += ["-m", "fast"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    return time.perf_counter() - started


def prepare(args, env) -> dict:
    create_database(env, args.db, "drill")
    manage(env, "seed")
    info = setup(env)  # the benchmark's account and tagging article, emptied of quotes
    output = manage(
        env,
        "shell",
        "-c",
        "from apps.articles.models import Article as A; "
        f"print('SEED', A.objects.exclude(pk={info['tagging']:d}).order_by('pk').first().pk)",
        capture=True,
    )
    info["seed_article"] = int(output.split("SEED", 1)[1].split()[0])
    return info


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []  # (kind, started, ended, status, marker)

    def add(self, *row):
        with self.lock:
            self.rows.append(row)


def drive(args, info, session, recorder, stop: threading.Event):
    counter = itertools.count()
    counter_lock = threading.Lock()
    reads = [
        ("article", f"/articles/{info['seed_article']}/"),
        ("board", "/board/"),
        ("search", "/search/?" + urllib.parse.urlencode({"q": "foreign fighters"})),
    ]

    def worker(number):
        client = Client(args.port, *session)
        plan = itertools.cycle(
            [*reads, ("write", None)] if number % 2 else [("write", None), *reads]
        )
        while not stop.is_set():
            kind, path = next(plan)
            marker, body, headers, method = None, None, None, "GET"
            if kind == "write":
                with counter_lock:
                    index = next(counter)
                marker = f"w{index:09d}"
                start = index * 11
                body = urllib.parse.urlencode(
                    {"text": marker, "start": start, "end": start + 10, "kind": "indirect"}
                )
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "HX-Request": "true",
                }
                method, path = "POST", f"/articles/{info['tagging']}/quotes/"
            started = time.perf_counter()
            status, _ = client.request(method, path, body, headers)
            recorder.add(kind, started, time.perf_counter(), status, marker)
            if status == 0:
                time.sleep(0.05)  # connection refused or reset: do not spin

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    return threads


def worker_pids(server) -> list[int]:
    result = subprocess.run(  # noqa: S603
        ["ps", "-o", "pid=", "--ppid", str(server.pid)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return sorted(int(pid) for pid in result.stdout.split())


def status_name(status: int) -> str:
    return "no response" if status == 0 else str(status)


def analyse(rows, t_down, t_up, acknowledged_missing, stored_unacknowledged) -> dict:
    ok = [r for r in rows if 200 <= r[3] < 300]
    failed = [r for r in rows if not 200 <= r[3] < 300]
    during = [r for r in failed if r[2] >= t_down and r[1] <= t_up]
    after = [r for r in failed if r[1] > t_up]
    before = [r for r in failed if r[2] < t_down]

    def first_ok(kind_test):
        ends = [r[2] for r in ok if kind_test(r[0]) and r[2] > t_up]
        return round(min(ends) - t_up, 3) if ends else None

    slow = [r[2] - r[1] for r in rows if r[2] >= t_down and r[1] <= t_up]
    return {
        "requests": len(rows),
        "succeeded": len(ok),
        "failed_before_outage": len(before),
        "failed_during_outage": len(during),
        "failed_during_outage_by_status": dict(
            collections.Counter(status_name(r[3]) for r in during)
        ),
        "failed_during_outage_by_kind": dict(collections.Counter(r[0] for r in during)),
        "succeeded_across_outage": sum(
            1 for r in ok if r[2] >= t_down and r[1] <= t_up
        ),  # waited for a connection and got one once PostgreSQL was back
        "slowest_request_across_outage_s": round(max(slow), 3) if slow else None,
        "failed_after_recovery": len(after),
        "failed_after_recovery_by_status": dict(
            collections.Counter(status_name(r[3]) for r in after)
        ),
        "server_errors_other_than_503": sum(1 for r in rows if r[3] >= 500 and r[3] != 503),
        "first_ok_read_after_up_s": first_ok(lambda kind: kind != "write"),
        "first_ok_write_after_up_s": first_ok(lambda kind: kind == "write"),
        "writes_acknowledged": sum(1 for r in ok if r[0] == "write"),
        "writes_failed": sum(1 for r in failed if r[0] == "write"),
        "writes_lost": len(acknowledged_missing),
        "lost_markers": acknowledged_missing,
        "failed_writes_stored_anyway": len(stored_unacknowledged),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="quotetrail_outage")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load first")
    parser.add_argument("--down", type=float, default=4.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--after", type=float, default=12.0, help="seconds of load afterwards")
    args = parser.parse_args()

    env = environment(args)
    print(f"Preparing {args.db} (migrate, seed, drill account)…", flush=True)
    info = prepare(args, env)
    server = start_server(env, args.port)
    stopped = False
    try:
        session = login(args.port)
        pids_before = worker_pids(server)
        recorder, stop = Recorder(), threading.Event()
        started = time.perf_counter()
        threads = drive(args, info, session, recorder, stop)
        time.sleep(args.before)
        print(f"Stopping PostgreSQL for {args.down:g} s under load…", flush=True)
        t_down = time.perf_counter()
        stopped = True
        stop_took = pg_cluster("stop")
        time.sleep(args.down)
        start_took = pg_cluster("start")
        stopped = False
        t_up = time.perf_counter()  # pg_ctlcluster start returns once it accepts connections
        print("PostgreSQL is back; the app is left running as it is.", flush=True)
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        pids_after = worker_pids(server)
    finally:
        if stopped:
            pg_cluster("start")
        server.terminate()
        server.wait(timeout=20)

    output = manage(env, "shell", "-c", MARKERS % {"article": info["tagging"]}, capture=True)
    line = next(line for line in output.splitlines() if line.startswith("OUTAGE "))
    stored = set(json.loads(line[len("OUTAGE ") :]))
    rows = recorder.rows
    acknowledged = {r[4] for r in rows if r[0] == "write" and 200 <= r[3] < 300}
    unacknowledged = {r[4] for r in rows if r[0] == "write" and not 200 <= r[3] < 300}
    missing = sorted(acknowledged - stored)
    stored_anyway = sorted(unacknowledged & stored)
    result = analyse(rows, t_down, t_up, missing, stored_anyway)
    result.update(
        postgres_down_s=round(t_up - t_down, 3),
        stop_command_s=round(stop_took, 3),
        start_command_s=round(start_took, 3),
        load_seconds=round(elapsed, 1),
        gunicorn_workers_unchanged=pids_before == pids_after,
    )

    print()
    print(
        f"PostgreSQL down {result['postgres_down_s']:.1f} s (stop {stop_took:.1f} s, "
        f"start {start_took:.1f} s); {args.clients} clients, {result['requests']} requests "
        f"over {elapsed:.0f} s."
    )
    codes = ", ".join(f"{k} ×{v}" for k, v in result["failed_during_outage_by_status"].items())
    print(
        f"During the outage: {result['failed_during_outage']} requests failed "
        f"({codes or 'none'}); {result['succeeded_across_outage']} waited and succeeded "
        f"(slowest {result['slowest_request_across_outage_s']} s)."
    )
    print(
        f"Recovery without restarting the app: first successful read "
        f"{result['first_ok_read_after_up_s']} s and write {result['first_ok_write_after_up_s']} s "
        f"after PostgreSQL accepted connections; {result['failed_after_recovery']} failures "
        f"among requests sent after that; gunicorn workers "
        f"{'unchanged' if result['gunicorn_workers_unchanged'] else 'RESTARTED'}."
    )
    print(
        f"Writes: {result['writes_acknowledged']} acknowledged (2xx), "
        f"{result['writes_acknowledged'] - result['writes_lost']} found in the database, "
        f"{result['writes_lost']} lost; {result['writes_failed']} failed, of which "
        f"{result['failed_writes_stored_anyway']} were stored anyway."
    )
    print(f"Server errors other than 503: {result['server_errors_other_than_503']}.")

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"outage-{stamp}.json"
    path.write_text(json.dumps({"args": vars(args), "result": result}, indent=2))
    print(f"Figures written to {path.relative_to(ROOT)}")
    passed = (
        result["writes_lost"] == 0
        and result["server_errors_other_than_503"] == 0
        and result["first_ok_read_after_up_s"] is not None
        and result["first_ok_write_after_up_s"] is not None
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
