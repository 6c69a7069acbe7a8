"""The cluster drill's figures from its records: failures, latency, the kill window, lost
writes and webhook events (no server, no database)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import balancer
from clusterstats import Row, failures, kill_window, latency, lost_writes, webhook_audit


def row(
    phase="c_kill", kind="article", started=0.0, ended=0.1, status=200, server="app2", key=None
):
    return Row(phase, kind, started, ended, status, server, key)


def test_failures_are_counted_by_phase_status_and_kind():
    rows = [
        row(status=200),
        row(status=502, kind="tag"),
        row(status=0, kind="tag"),
        row(phase="e_rolling", status=503),
    ]
    out = failures(rows)
    assert out["c_kill"] == {
        "total": 2,
        "by_status": {"502": 1, "no response": 1},
        "by_kind": {"tag": 2},
    }
    assert out["e_rolling"]["total"] == 1
    assert failures([row()]) == {}


def test_latency_counts_successes_only():
    rows = [row(started=0, ended=t / 1000) for t in range(1, 101)] + [row(status=502, ended=9)]
    out = latency(rows)
    assert out["all"]["requests"] == 100
    assert out["all"]["p50_ms"] == 51.0
    assert out["all"]["p95_ms"] == 96.0
    assert out["article"]["requests"] == 100


def test_kill_window_splits_in_flight_from_sent_after():
    t_kill, t_gone = 10.0, 10.05
    rows = [
        row(phase="b_lockout", started=9.9, ended=10.2, status=0, kind="tag"),  # in flight
        row(started=10.01, ended=10.03, status=502, kind="tag"),  # reached it while it died
        row(started=11.0, ended=11.1, status=503),  # sent after the port closed
        row(started=9.0, ended=9.5, status=0),  # failed before the kill: neither
        row(started=12.0, ended=12.1, server="app1"),  # restarted instance answers
        row(started=8.0, ended=8.1, server="app1"),  # before the kill: not a recovery
    ]
    out = kill_window(rows, t_kill, t_gone, "app1")
    assert out == {
        "failed_in_flight_at_kill": 2,
        "failed_sent_after_kill": 1,
        "first_ok_from_restarted_s": 2.1,
    }
    assert kill_window([], t_kill, t_gone, "app1")["first_ok_from_restarted_s"] is None


def test_lost_writes_are_acknowledged_writes_missing_from_the_database():
    rows = [
        row(kind="tag", key="w1"),
        row(kind="stale_write", key="s1"),
        row(kind="tag", key="w2", status=502),  # not acknowledged: not counted
        row(kind="import", key=7, status=201),
        row(kind="import", key=8, status=201),
    ]
    out = lost_writes(rows, stored_markers=["w1", "w2"], stored_articles=[7])
    assert out == {
        "writes_acknowledged": 4,
        "writes_lost": 2,
        "lost": ["s1", "article 8"],
        "failed_tags_stored_anyway": 1,
    }


def test_webhook_audit_tells_raw_from_visible_duplicates():
    received = [
        (1.0, "e1", "article.imported", 1),
        (2.0, "e1", "article.imported", 1),  # the same event again: the receiver drops it
        (3.0, "e2", "article.imported", 2),
        (4.0, "e3", "article.imported", 2),  # article 2 under a second id: visible
    ]
    deliveries = [("e1", 1, "delivered", 2), ("e4", 3, "pending", 1)]
    out = webhook_audit([1, 2, 3], received, deliveries)
    assert out["events_lost"] == 1
    assert out["lost_articles"] == [3]
    assert out["raw_duplicates"] == 1
    assert out["visible_duplicates"] == 1
    assert out["deliveries_not_delivered"] == 1


def test_haproxy_config_names_every_server_and_checks_readyz(tmp_path):
    text = balancer.config(tmp_path, 8770, {"app1": 8771, "app2": 8772})
    assert "bind 127.0.0.1:8770" in text
    assert "server app1 127.0.0.1:8771 check" in text
    assert "server app2 127.0.0.1:8772 check" in text
    assert "uri /readyz" in text
    assert "disable-l7-retry unless METH_GET || METH_HEAD" in text
    assert f"stats socket {tmp_path / 'admin.sock'}" in text
