"""HAProxy for the cluster drill: installed when missing, configured in a temporary
directory, run in the foreground as a child process, steered through its runtime API
(the admin stats socket).

The configuration is the one the README's "Cluster drill" section describes for a real
deployment: round robin over the app servers, each checked on /readyz every half
second; a failed connection (the request never reached a server) is retried on another
server; a server that closes the connection without answering has the request retried
elsewhere only when it is a GET or HEAD, since a POST may have been applied already.
Each request gets a connection of its own to the server (`http-server-close`): a request
sent on a reused idle connection that the server has just dropped (a crash, its
keep-alive timeout) is not retried by HAProxy, which closes the client's connection
instead, so the client would see a failure that a fresh connection turns into a retry.
"""

import csv
import io
import shutil
import socket
import subprocess
from pathlib import Path

from processes import wait_for

CONFIG = """\
global
    maxconn 2000
    stats socket {socket} mode 600 level admin
    pidfile {directory}/haproxy.pid

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 10s
    timeout queue 10s

frontend quotetrail
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance roundrobin
    option forwardfor
    option http-server-close
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    http-response set-header X-Served-By %[srv_name]
    default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
{servers}
"""


def ensure_installed() -> str:
    """The haproxy binary; installs Debian's package with apt-get when it is missing."""
    found = shutil.which("haproxy") or (Path("/usr/sbin/haproxy").exists() and "/usr/sbin/haproxy")
    if found:
        return found
    print("Installing HAProxy (apt-get install haproxy)…", flush=True)
    install = ["apt-get", "install", "-y", "-q", "haproxy"]
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode:  # noqa: S603
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=True)  # noqa: S607
        subprocess.run(install, env=env, capture_output=True, check=True)  # noqa: S603
    found = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(found).exists():
        raise SystemExit("HAProxy could not be installed; install the haproxy package.")
    return found


def config(directory: Path, port: int, servers: dict[str, int]) -> str:
    lines = "\n".join(f"    server {name} 127.0.0.1:{p} check" for name, p in servers.items())
    return CONFIG.format(
        directory=directory, socket=directory / "admin.sock", port=port, servers=lines
    )


class HAProxy:
    """One HAProxy in the foreground (`-db`), its configuration in `directory`."""

    def __init__(self, binary: str, directory: Path, port: int, servers: dict[str, int]):
        self.directory, self.port, self.servers = directory, port, servers
        path = directory / "haproxy.cfg"
        path.write_text(config(directory, port, servers))
        subprocess.run([binary, "-c", "-q", "-f", str(path)], check=True)  # noqa: S603
        self.log = (directory / "haproxy.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [binary, "-db", "-f", str(path)], stdout=self.log, stderr=subprocess.STDOUT
        )
        if not wait_for(lambda: all(self.status(n) == "UP" for n in servers), 20):
            raise SystemExit("HAProxy did not see every app server up within 20 s.")

    def command(self, text: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.directory / "admin.sock"))
            sock.sendall(text.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def stats(self) -> dict[str, dict]:
        """`show stat` for the app backend's servers: name -> row (status, scur, …)."""
        try:
            text = self.command("show stat").lstrip("# ")
        except OSError:
            return {}
        rows = csv.DictReader(io.StringIO(text))
        return {
            r["svname"]: r for r in rows if r["pxname"] == "app" and r["svname"] in self.servers
        }

    def status(self, name: str) -> str:
        """UP, DOWN, DRAIN, MAINT (with details such as "UP 1/2" cut to the word)."""
        return (self.stats().get(name, {}).get("status") or "?").split()[0]

    def set_state(self, name: str, state: str) -> None:
        self.command(f"set server app/{name} state {state}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
