"""The processes of the cluster drill (bench/cluster.py): the app instances, the worker,
Redis when it is not already running; and small waits on them. Every process is started
in a session of its own, so stopping it stops its children too."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from load import Client
from run import PY, ROOT, start_server


class Cluster:
    """The processes the drill started, so every one of them is stopped at the end."""

    def __init__(self, args, env, directory: Path):
        self.args, self.env, self.directory = args, env, directory
        self.ports = {"app1": args.port, "app2": args.port + 1}
        self.apps, self.worker, self.redis, self.haproxy = {}, None, None, None
        self.worker_starts = 0

    def app_env(self, name):
        return {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}"}

    def start_app(self, name):
        log = (self.directory / f"{name}.log").open("a")
        self.apps[name] = start_server(
            self.app_env(name), self.ports[name], stderr=log, start_new_session=True
        )

    def start_worker(self):
        self.worker_starts += 1
        log = (self.directory / "worker.log").open("a")
        command = [PY, str(ROOT / "manage.py"), "run_worker", "--no-reload", "--interval", "0.2"]
        command += ["--no-startup-delay", "--worker-id", f"cluster-{self.worker_starts}"]
        self.worker = subprocess.Popen(  # noqa: S603
            command, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
        )

    def ensure_redis(self):
        port = self.args.redis_port
        if redis(port, "ping") != "PONG":
            print(f"Starting redis-server on 127.0.0.1:{port}…", flush=True)
            self.redis = subprocess.Popen(  # noqa: S603
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],  # noqa: S607
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
            if not wait_for(lambda: redis(port, "ping") == "PONG", 10, step=0.1):
                raise SystemExit(f"redis-server did not start on 127.0.0.1:{port}.")
        # A fresh database restarts its version counters: entries cached by an earlier run
        # under the same versions would be stale, so the drill's Redis database starts empty.
        redis(port, "-n", str(self.args.redis_db), "flushdb")

    def stop(self):
        if self.haproxy:
            self.haproxy.stop()
        for process in [*self.apps.values(), self.worker, self.redis]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=25)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def redis(port, *command) -> str:
    run = ["redis-cli", "-h", "127.0.0.1", "-p", str(port), *command]
    return subprocess.run(run, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603


def listening(port) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def ready(port) -> bool:
    status, _ = Client(port, {}, "").request("GET", "/readyz")
    return status == 200


def wait_for(condition, seconds, step=0.05) -> bool:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
