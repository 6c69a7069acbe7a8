"""Cluster drill: `make cluster` (or `.venv/bin/python bench/cluster.py --help`).

Runs Quotetrail as a newsroom's shared service on loopback: two app instances
(gunicorn, production settings, ports of their own), a task worker
(`manage.py run_worker`: the sweeps, then django-tasks-db's db_worker), HAProxy in
front (health-checking /readyz), Redis and
PostgreSQL (a database of its own, created fresh, migrated and seeded). Mixed load goes
through HAProxy the whole time (readers, taggers, importers through the API), and in
turn the drill:

  a. writes through one instance and reads the page back through the other (stale reads);
  b. fails logins for one account alternately on both instances (the lockout must hold
     on both);
  c. kills one instance with SIGKILL mid-load and starts it again;
  d. kills the worker mid-delivery (webhooks to a receiver run by the drill) and restarts it;
  e. restarts the instances one at a time, each drained out of HAProxy first.

Reports requests, failures by phase and status, stale reads, acknowledged writes lost,
webhook events lost or delivered twice, recovery times and the p50 and p95 through the
balancer; writes them to bench/results/cluster-*.json.
"""

import argparse
import collections
import datetime
import itertools
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import outage
from balancer import HAProxy, ensure_installed
from clusterstats import (
    Row,
    failed_rows,
    failures,
    kill_window,
    latency,
    lost_writes,
    ok,
    webhook_audit,
)
from load import Client, Samples, drive, login, sign_in, summary
from processes import Cluster, listening, ready, wait_for
from receiver import Receiver
from run import ROOT, environment, manage, shell

LOCK_USER, LOCK_PASSWORD = "cluster-lock", "cluster-lock-password-not-secret"
EXTRAS = """
import json
from django.contrib.auth.models import User
from apps.articles.importing import Metadata, create_article
from apps.webhooks.models import Endpoint
user, _ = User.objects.get_or_create(username="%(user)s")
user.set_password("%(password)s"); user.save()
body = " ".join(f"s{i:09d}" for i in range(%(words)d))
stale = create_article("Cluster drill: read-your-write article", body, Metadata())
Endpoint.objects.create(url="%(url)s", events=["article.imported"], description="cluster drill")
print("BENCH " + json.dumps({"stale_article": stale.pk}))
"""
PENDING = """
from apps.webhooks.models import Delivery
print("BENCH", Delivery.objects.exclude(status="delivered").count())
"""
AUDIT = """
import json
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from apps.articles.models import Article
from apps.quotes.models import Quote
from apps.webhooks.models import Delivery
print("BENCH " + json.dumps({
    "markers": list(
        Quote.objects.filter(article_id__in=%(articles)s).values_list("exact", flat=True)),
    "imported": list(Article.objects.filter(pk__in=%(imported)s).values_list("pk", flat=True)),
    "deliveries": list(Delivery.objects.filter(event="article.imported").values_list(
        "event_id", "payload__id", "status", "attempts")),
    "tasks": {f"{r['task_path']} {r['status']}": r["n"] for r in DBTaskResult.objects.values(
        "task_path", "status").annotate(n=Count("id"))},
}, default=str))
"""


# ---- load -----------------------------------------------------------------------------


class Load:
    """Readers, taggers and importers through HAProxy until stopped; each request a Row."""

    def __init__(self, args, info, session, seed):
        self.args, self.info, self.session, self.seed = args, info, session, seed
        self.phase = "warmup"
        self.rows, self.lock, self.stop = [], threading.Lock(), threading.Event()
        self.counter = itertools.count()
        self.threads = []

    def add(self, row):
        with self.lock:
            self.rows.append(row)

    def next_index(self):
        with self.lock:
            return next(self.counter)

    def run(self, client, kind, method, path, body=None, headers=None, key=None):
        phase, started = self.phase, time.perf_counter()
        status, answer = client.request(method, path, body, headers)
        served = client.last_headers.get("X-Served-By") if client.last_headers else None
        if kind == "import" and status == 201:
            key = json.loads(answer)["id"]
        self.add(Row(phase, kind, started, time.perf_counter(), status, served, key))
        if status == 0:
            time.sleep(0.05)  # refused or reset: do not spin

    def reader(self, number):
        client = Client(self.args.proxy_port, *self.session)
        reads = itertools.cycle(read_paths(self.info))
        for _ in range(number):
            next(reads)
        while not self.stop.is_set():
            self.run(client, *next(reads))

    def tagger(self, _):
        client = Client(self.args.proxy_port, *self.session)
        while not self.stop.is_set():
            method, path, body, headers, marker = tag_request(
                self.info["tagging"], "w", self.next_index()
            )
            self.run(client, "tag", method, path, body, headers, marker)
            self.stop.wait(self.args.tag_pause)

    def importer(self, _):
        client = Client(self.args.proxy_port, *self.session)
        headers = {
            "Authorization": f"Bearer {self.info['token']}",
            "Content-Type": "application/json",
        }
        while not self.stop.is_set():
            index = self.next_index()
            line = f"“Story {self.seed}-{index} was filed on time”, said Editor {index}."
            body = {"title": f"Cluster story {self.seed}-{index}", "body": "\n\n".join([line] * 5)}
            self.run(client, "import", "POST", "/api/v1/articles", json.dumps(body), headers)
            self.stop.wait(self.args.import_pause)

    def start(self):
        roles = [(self.reader, self.args.readers), (self.tagger, self.args.taggers)]
        roles.append((self.importer, self.args.importers))
        for role, count in roles:
            for n in range(count):
                thread = threading.Thread(target=role, args=(n,), daemon=True)
                thread.start()
                self.threads.append(thread)

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=35)


def read_paths(info):
    search = "/search/?" + urllib.parse.urlencode({"q": "foreign fighters"})
    return [
        ("article", "GET", f"/articles/{info['seed_article']}/"),
        ("board", "GET", "/board/"),
        ("search", "GET", search),
    ]


def tag_request(article, letter, index):
    """A tag POST whose quote is the article's `index`-th word, a unique marker."""
    marker, start = f"{letter}{index:09d}", index * 11
    body = urllib.parse.urlencode(
        {"text": marker, "start": start, "end": start + 10, "kind": "indirect"}
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
    return "POST", f"/articles/{article}/quotes/", body, headers, marker


# ---- the phases -----------------------------------------------------------------------


def compare_latency(args, cluster, session, info) -> dict:
    """The same read-only mix, same clients: one instance direct and through HAProxy."""
    paths = read_paths(info)

    def requests(k):
        for kind, method, path in itertools.islice(itertools.cycle(paths), k, None):
            yield kind, method, path, None, None

    targets = {"one_instance_direct": cluster.ports["app1"], "balancer": args.proxy_port}
    measured = {name: (Samples(), [0.0]) for name in targets}
    rounds = []
    drive(args.proxy_port, session, 2, args.readers, requests)  # warm both instances
    for _ in range(args.compare_rounds):  # interleaved: a busy moment weighs on both alike
        p50 = {}
        for name, port in targets.items():
            seconds = args.compare_seconds / args.compare_rounds
            samples, elapsed = drive(port, session, seconds, args.readers, requests)
            part = Samples()
            for label in samples.values():
                part.merge(label)
            p50[name] = summary(part, elapsed)["p50_ms"]
            measured[name][0].merge(part)
            measured[name][1][0] += elapsed
        rounds.append(round(p50["balancer"] / p50["one_instance_direct"], 3))
    out = {
        name: {k: round(v, 2) for k, v in summary(merged, elapsed[0]).items()}
        for name, (merged, elapsed) in measured.items()
    }
    out["p50_ratio"] = round(out["balancer"]["p50_ms"] / out["one_instance_direct"]["p50_ms"], 3)
    out["p50_ratio_by_round"] = rounds
    out["hop"] = hop_cost(args, cluster)
    return out


def hop_cost(args, cluster, count=300) -> dict:
    """What HAProxy adds to one request: /healthz from one client, alternately direct and
    through HAProxy, so both see the same moment of a busy machine; medians in ms."""
    clients = {
        "direct": Client(cluster.ports["app1"], {}, ""),
        "balancer": Client(args.proxy_port, {}, ""),
    }
    times = {name: [] for name in clients}
    for _ in range(count):
        for name, client in clients.items():
            started = time.perf_counter()
            client.request("GET", "/healthz")
            times[name].append(time.perf_counter() - started)
    medians = {name: round(statistics.median(t) * 1000, 2) for name, t in times.items()}
    return {**medians, "added_ms": round(medians["balancer"] - medians["direct"], 2)}


def stale_reads(args, cluster, session, info, load) -> dict:
    """Write through one instance, read the article through the other at once."""
    ports = [cluster.ports["app1"], cluster.ports["app2"]]
    clients = [Client(port, *session) for port in ports]
    article, checked, stale, failed = info["stale_article"], 0, [], 0
    for index in range(args.stale_writes):
        writer, reader = (0, 1) if index % 2 == 0 else (1, 0)
        method, path, body, headers, marker = tag_request(article, "s", index)
        started = time.perf_counter()
        status, _ = clients[writer].request(method, path, body, headers)
        load.add(
            Row(
                "a_stale",
                "stale_write",
                started,
                time.perf_counter(),
                status,
                f"app{writer + 1}",
                marker,
            )
        )
        if not ok(status):
            failed += 1
            continue
        status, page = clients[reader].request("GET", f"/articles/{article}/")
        checked += 1
        if status != 200 or not re.search(rf">{marker}</mark>", page.decode()):
            stale.append(
                {"marker": marker, "read_status": status, "read_through": f"app{reader + 1}"}
            )
    return {"writes": args.stale_writes, "checked": checked, "write_failures": failed,
            "stale_reads": len(stale), "stale": stale[:10]}  # fmt: skip


def lockout(args, cluster) -> dict:
    """Failed logins for one account alternately on both instances, then the right password
    on each: both must refuse it (429) while the lockout lasts."""
    ports = [cluster.ports["app1"], cluster.ports["app2"]]
    attempts = [
        sign_in(ports[n % 2], LOCK_USER, "wrong-password")[0] for n in range(args.lock_failures)
    ]
    correct = {
        f"app{n + 1}": sign_in(port, LOCK_USER, LOCK_PASSWORD)[0] for n, port in enumerate(ports)
    }
    correct["balancer"] = sign_in(args.proxy_port, LOCK_USER, LOCK_PASSWORD)[0]
    return {"failed_attempts": attempts, "correct_password_after": correct,
            "holds_across_instances": all(s == 429 for s in correct.values())}  # fmt: skip


def kill_instance(args, cluster) -> dict:
    haproxy, process = cluster.haproxy, cluster.apps["app1"]
    t_kill = time.perf_counter()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    wait_for(lambda: not listening(cluster.ports["app1"]), 5, step=0.001)
    t_gone = time.perf_counter()  # every process of the instance is gone: its port is closed
    marked = wait_for(lambda: haproxy.status("app1") == "DOWN", 10)
    t_marked = time.perf_counter()
    time.sleep(max(0.0, args.down - (t_marked - t_kill)))
    t_restart = time.perf_counter()
    cluster.start_app("app1")
    back = wait_for(lambda: haproxy.status("app1") == "UP", 15)
    t_up = time.perf_counter()
    time.sleep(args.after)
    return {
        "t_kill": t_kill,
        "t_gone": t_gone,
        "port_closed_s": round(t_gone - t_kill, 4),
        "marked_down_s": round(t_marked - t_kill, 3) if marked else None,
        "restart_started_s": round(t_restart - t_kill, 3),
        "back_in_balancer_s": round(t_up - t_kill, 3) if back else None,
    }


def kill_worker(args, cluster, receiver) -> dict:
    busy = wait_for(receiver.busy, 15, step=0.01)
    t_kill = time.perf_counter()
    os.killpg(cluster.worker.pid, signal.SIGKILL)
    cluster.worker.wait()
    time.sleep(args.worker_down)
    cluster.start_worker()
    time.sleep(args.after)
    return {"t_kill": t_kill, "killed_mid_delivery": busy, "down_s": args.worker_down}


def rolling_restart(args, cluster) -> dict:
    haproxy, steps = cluster.haproxy, {}
    for name in ("app1", "app2"):
        started = time.perf_counter()
        haproxy.set_state(name, "drain")
        drained = wait_for(lambda n=name: haproxy.stats()[n]["scur"] == "0", 20)
        haproxy.set_state(name, "maint")
        process = cluster.apps[name]
        process.send_signal(signal.SIGTERM)  # gunicorn finishes what it has, then exits
        process.wait(timeout=30)
        cluster.start_app(name)
        is_ready = wait_for(lambda n=name: ready(cluster.ports[n]), 20)
        haproxy.set_state(name, "ready")
        up = wait_for(lambda n=name: haproxy.status(n) == "UP", 15)
        steps[name] = {"drained": drained, "ready": is_ready, "up": up,
                       "took_s": round(time.perf_counter() - started, 2)}  # fmt: skip
        time.sleep(args.after / 2)
    return steps


def settle_webhooks(args, env, receiver, load, t_worker_kill) -> dict:
    """Wait until every acknowledged import's event has arrived and no delivery is pending.
    A delivery the killed worker had claimed stays pending, its task row RUNNING for ever:
    only the sweep (`manage.py deliver_webhooks`) queues it again, once its claim has
    expired (QUOTETRAIL_WEBHOOK_TIMEOUT + 60 s after the attempt began)."""
    expected = {r.key for r in load.rows if r.kind == "import" and ok(r.status)}

    def missing():
        return len(expected - {article for *_, article in receiver.received()})

    def settled():
        return not missing() and shell(env, PENDING) == 0

    wait_for(lambda: not missing(), 15, step=0.25)
    out = {
        "missing_at_receiver_before_sweep": missing(),
        "pending_before_sweep": shell(env, PENDING),
    }
    swept_at = None
    if not settled():
        claim_expires = t_worker_kill + args.webhook_timeout + 60 + 3
        wait = claim_expires - time.perf_counter()
        print(f"  waiting {wait:.0f} s for the killed worker's claim to expire, then the sweep "
              "(manage.py deliver_webhooks) …", flush=True)  # fmt: skip
        time.sleep(max(0.0, claim_expires - time.perf_counter()))
        manage(env, "deliver_webhooks", capture=True)
        swept_at = time.perf_counter()
        wait_for(settled, 30, step=1)
    last = max((t for t, *_ in receiver.received()), default=None)
    return out | {
        "sweep_run_s_after_worker_kill": round(swept_at - t_worker_kill, 1) if swept_at else None,
        "last_delivery_s_after_worker_kill": round(last - t_worker_kill, 1) if last else None,
        "pending_at_end": shell(env, PENDING),
    }


# ---- the drill --------------------------------------------------------------------------


def prepare(args, env, receiver) -> dict:
    subprocess.run(  # noqa: S603 - a fresh database each run
        ["dropdb", "--if-exists", "--force", "-h", "127.0.0.1", "-U", "postgres", args.db],  # noqa: S607
        check=True,
    )
    info = outage.prepare(args, env)  # migrated, seeded, the benchmark's accounts
    extras = EXTRAS % {
        "user": LOCK_USER,
        "password": LOCK_PASSWORD,
        "words": 2000,
        "url": receiver.url,
    }
    return info | shell(env, extras)


def cluster_env(args) -> dict:
    env = environment(args)
    env.update(
        REDIS_URL=f"redis://127.0.0.1:{args.redis_port}/{args.redis_db}",
        QUOTETRAIL_TRUSTED_PROXIES="127.0.0.1",  # HAProxy: X-Forwarded-For names the client
        QUOTETRAIL_WEBHOOKS_ALLOW_PRIVATE="true",  # the receiver is on loopback
        QUOTETRAIL_WEBHOOK_TIMEOUT=str(args.webhook_timeout),
        DATABASE_POOL_MAX="12",
    )
    return env


def run_drill(args, cluster, env, receiver, info) -> dict:
    cluster.start_app("app1")
    cluster.start_app("app2")
    cluster.start_worker()
    servers = {name: cluster.ports[name] for name in ("app1", "app2")}
    cluster.haproxy = HAProxy(ensure_installed(), cluster.directory, args.proxy_port, servers)
    session = login(args.proxy_port)
    report = {}
    print(
        f"Read-only p50: {args.readers} clients, one instance direct, then through HAProxy…",
        flush=True,
    )
    report["latency_compare"] = compare_latency(args, cluster, session, info)
    load = Load(args, info, session, int(time.time()))
    t0 = time.perf_counter()
    load.start()
    try:
        time.sleep(args.after)
        steps = [
            ("a_stale", "a. write on one instance, read on the other",
             lambda: stale_reads(args, cluster, session, info, load)),
            ("b_lockout", "b. failed logins over both instances", lambda: lockout(args, cluster)),
            ("c_kill", "c. SIGKILL app1 mid-load, start it again",
             lambda: kill_instance(args, cluster)),
            ("d_worker", "d. SIGKILL the worker mid-delivery, start it again",
             lambda: kill_worker(args, cluster, receiver)),
            ("e_rolling", "e. rolling restart, one instance at a time",
             lambda: rolling_restart(args, cluster)),
        ]  # fmt: skip
        for phase, title, step in steps:
            print(f"  {title} …", flush=True)
            load.phase = phase
            report[phase] = step()
        load.phase = "after"
        time.sleep(args.after)
    finally:
        load.finish()
    print("  waiting for every article.imported delivery …", flush=True)
    report["webhook_recovery"] = settle_webhooks(
        args, env, receiver, load, report["d_worker"]["t_kill"]
    )
    report["rows"], report["t0"] = load.rows, t0
    return report


def analyse(args, env, info, receiver, drill) -> dict:
    rows, t0 = drill.pop("rows"), drill.pop("t0")
    imported = sorted({r.key for r in rows if r.kind == "import" and ok(r.status)})
    articles = [info["tagging"], info["stale_article"]]
    audit = shell(env, AUDIT % {"articles": articles, "imported": imported})
    kill = drill["c_kill"]
    kill.update(kill_window(rows, kill.pop("t_kill"), kill.pop("t_gone"), "app1"))
    drill["d_worker"].pop("t_kill")
    stuck = {k: v for k, v in audit["tasks"].items() if k.endswith(" RUNNING")}
    return {
        "requests": len(rows),
        "requests_by_phase": dict(collections.Counter(r.phase for r in rows)),
        "failures": failures(rows),
        "through_balancer": latency([r for r in rows if r.kind != "stale_write"]),
        **drill,
        "writes": lost_writes(rows, audit["markers"], audit["imported"]),
        "webhooks": webhook_audit(imported, receiver.received(), audit["deliveries"]),
        "tasks": audit["tasks"],
        "tasks_left_running": stuck,
        "failed_requests": failed_rows(rows, t0),
    }


def verdicts(result) -> dict:
    fails = result["failures"]
    hooks = result["webhooks"]
    return {
        "stale reads 0": result["a_stale"]["stale_reads"] == 0,
        "acknowledged writes lost 0": result["writes"]["writes_lost"] == 0,
        "webhook events lost 0": hooks["events_lost"] == 0,
        "no visible duplicates": hooks["visible_duplicates"] == 0,
        "lockout holds across instances": result["b_lockout"]["holds_across_instances"],
        "kill: only requests in flight fail": result["c_kill"]["failed_sent_after_kill"] == 0,
        "rolling restart: none fail": fails.get("e_rolling", {}).get("total", 0) == 0,
        "p50 through HAProxy ≤ 1.2× one instance": result["latency_compare"]["p50_ratio"] <= 1.2,
    }


def show(result, targets) -> None:
    compare, kill, hooks = result["latency_compare"], result["c_kill"], result["webhooks"]
    overall = result["through_balancer"]["all"]
    print()
    print(
        f"Requests: {result['requests']} ({overall['requests']} ok through HAProxy: "
        f"p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms)"
    )
    for phase, failed in result["failures"].items():
        print(f"  failed in {phase}: {failed['total']} {failed['by_status']} {failed['by_kind']}")
    print(f"One request's cost of the HAProxy hop (/healthz, alternated): {compare['hop']}")
    print(
        f"Read-only p50: one instance direct {compare['one_instance_direct']['p50_ms']} ms, "
        f"HAProxy over two {compare['balancer']['p50_ms']} ms ({compare['p50_ratio']}×)"
    )
    stale = result["a_stale"]
    print(f"a. stale reads: {stale['stale_reads']} of {stale['checked']} read-backs")
    lock = result["b_lockout"]
    print(
        f"b. lockout: failures answered {lock['failed_attempts']}, then the right password "
        f"{lock['correct_password_after']}"
    )
    print(
        f"c. kill: marked down after {kill['marked_down_s']} s, back in HAProxy after "
        f"{kill['back_in_balancer_s']} s, first answer from the restarted instance after "
        f"{kill['first_ok_from_restarted_s']} s; failed: {kill['failed_in_flight_at_kill']} in "
        f"flight at the kill, {kill['failed_sent_after_kill']} sent after it"
    )
    print(
        f"d. worker killed mid-delivery: {result['d_worker']['killed_mid_delivery']}; events "
        f"{hooks['events_received']}/{hooks['events_expected']}, lost {hooks['events_lost']}, "
        f"raw duplicates {hooks['raw_duplicates']}, visible {hooks['visible_duplicates']}; "
        f"recovery {result['webhook_recovery']}; tasks left RUNNING {result['tasks_left_running']}"
    )
    print(f"e. rolling restart: {result['e_rolling']}")
    writes = result["writes"]
    print(
        f"Writes acknowledged {writes['writes_acknowledged']}, lost {writes['writes_lost']}; "
        f"tag posts that failed but were stored: {writes['failed_tags_stored_anyway']}"
    )
    for name, passed in targets.items():
        print(f"  {'ok    ' if passed else 'MISSED'} {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="quotetrail_cluster")
    parser.add_argument("--port", type=int, default=8771, help="app1; app2 is the next port")
    parser.add_argument("--proxy-port", type=int, default=8770)
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--taggers", type=int, default=2)
    parser.add_argument("--importers", type=int, default=1)
    parser.add_argument("--tag-pause", type=float, default=0.1, help="seconds between saves")
    parser.add_argument("--import-pause", type=float, default=0.3)
    parser.add_argument("--compare-seconds", type=float, default=16.0, help="each way, in all")
    parser.add_argument("--compare-rounds", type=int, default=8)
    parser.add_argument("--stale-writes", type=int, default=40)
    parser.add_argument("--lock-failures", type=int, default=6)
    parser.add_argument("--down", type=float, default=3.0, help="seconds app1 stays killed")
    parser.add_argument("--worker-down", type=float, default=2.0)
    parser.add_argument("--after", type=float, default=4.0, help="seconds of load after each step")
    parser.add_argument("--webhook-timeout", type=int, default=2)
    args = parser.parse_args()
    args.clients = args.readers + args.taggers + args.importers  # sizes the pool (run.py)

    env = cluster_env(args)
    started = time.perf_counter()
    receiver = Receiver()
    with tempfile.TemporaryDirectory(prefix="quotetrail-cluster-") as tmp:
        cluster = Cluster(args, env, Path(tmp))
        try:
            cluster.ensure_redis()
            print(f"Preparing {args.db} (fresh: migrate, seed, drill accounts)…", flush=True)
            info = prepare(args, env, receiver)
            drill = run_drill(args, cluster, env, receiver, info)
        finally:
            cluster.stop()
            receiver.stop()
    result = analyse(args, env, info, receiver, drill)
    result["drill_seconds"] = round(time.perf_counter() - started, 1)
    targets = verdicts(result)
    show(result, targets)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"cluster-{stamp}.json"
    path.write_text(
        json.dumps({"args": vars(args), "result": result, "targets_met": targets}, indent=2)
    )
    print(f"Figures written to {path.relative_to(ROOT)}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("Interrupted: every process the drill started has been stopped.")
