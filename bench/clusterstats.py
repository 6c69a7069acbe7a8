"""The cluster drill's figures from what it recorded: pure functions of the request rows,
the database's answers and the webhook receiver's log (tests/bench/test_cluster.py)."""

import collections

from load import percentile

Row = collections.namedtuple("Row", "phase kind started ended status server key")


def ok(status: int) -> bool:
    return 200 <= status < 300


def failures(rows) -> dict:
    """Failed requests by phase, then by status ("no response" for none) and by kind."""
    out = {}
    for r in rows:
        if not ok(r.status):
            phase = out.setdefault(r.phase, {"total": 0, "by_status": {}, "by_kind": {}})
            phase["total"] += 1
            name = status_name(r.status)
            phase["by_status"][name] = phase["by_status"].get(name, 0) + 1
            phase["by_kind"][r.kind] = phase["by_kind"].get(r.kind, 0) + 1
    return out


def latency(rows) -> dict:
    """p50 and p95 (ms) of the successful requests, overall and by kind."""
    groups = {"all": [r for r in rows if ok(r.status)]}
    for r in groups["all"]:
        groups.setdefault(r.kind, []).append(r)
    out = {}
    for name, group in groups.items():
        times = sorted(r.ended - r.started for r in group)
        out[name] = {
            "requests": len(times),
            "p50_ms": round(percentile(times, 50) * 1000, 1),
            "p95_ms": round(percentile(times, 95) * 1000, 1),
        }
    return out


def kill_window(rows, t_kill: float, t_gone: float, server: str) -> dict:
    """Failures around the kill: in flight (sent before the killed instance's port closed,
    still unanswered at the kill) or sent afterwards during the kill phase, and the time
    from the kill to the first success served by the restarted instance."""
    failed = [r for r in rows if not ok(r.status)]
    in_flight = [r for r in failed if r.started <= t_gone and r.ended >= t_kill]
    after = [r for r in failed if r.phase == "c_kill" and r.started > t_gone]
    back = [r.ended for r in rows if r.server == server and ok(r.status) and r.started > t_gone]
    return {
        "failed_in_flight_at_kill": len(in_flight),
        "failed_sent_after_kill": len(after),
        "first_ok_from_restarted_s": round(min(back) - t_kill, 3) if back else None,
    }


def lost_writes(rows, stored_markers, stored_articles) -> dict:
    """Writes acknowledged (2xx) whose quote or article is not in the database, and tag
    posts that failed (no answer, 502) but whose quote was stored all the same."""
    stored = set(stored_markers)
    tags = {r.key for r in rows if r.kind in ("tag", "stale_write") and ok(r.status)}
    failed_tags = {r.key for r in rows if r.kind in ("tag", "stale_write") and not ok(r.status)}
    imports = {r.key for r in rows if r.kind == "import" and ok(r.status)}
    lost_tags = sorted(tags - stored)
    lost_imports = sorted(imports - set(stored_articles))
    return {
        "writes_acknowledged": len(tags) + len(imports),
        "writes_lost": len(lost_tags) + len(lost_imports),
        "lost": lost_tags + [f"article {pk}" for pk in lost_imports],
        "failed_tags_stored_anyway": len(failed_tags & stored),
    }


def webhook_audit(expected_articles, received, deliveries) -> dict:
    """`article.imported` events: lost (an imported article never announced), raw
    duplicates (an event id received more than once, which the receiver drops) and
    visible duplicates (an article announced under two event ids, which it cannot)."""
    per_event = collections.Counter(event for _, event, name, _ in received if name)
    ids_per_article = collections.defaultdict(set)
    for _, event, _, article in received:
        ids_per_article[article].add(event)
    lost = sorted(set(expected_articles) - set(ids_per_article))
    return {
        "events_expected": len(set(expected_articles)),
        "events_received": len(per_event),
        "deliveries_received": len(received),
        "events_lost": len(lost),
        "lost_articles": lost,
        "raw_duplicates": sum(n - 1 for n in per_event.values()),
        "visible_duplicates": sum(1 for ids in ids_per_article.values() if len(ids) > 1),
        "deliveries_not_delivered": sum(1 for d in deliveries if d[2] != "delivered"),
    }


def status_name(status: int) -> str:
    return "no response" if status == 0 else str(status)


def failed_rows(rows, t0: float, limit: int = 40) -> list[dict]:
    """The first failed requests, for the record: when (s from t0), what, how long, status."""
    return [
        {"phase": r.phase, "kind": r.kind, "at_s": round(r.started - t0, 3),
         "took_s": round(r.ended - r.started, 3), "status": status_name(r.status),
         "server": r.server, "key": r.key}
        for r in rows if not ok(r.status)
    ][:limit]  # fmt: skip
