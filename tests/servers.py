"""Start real triple store servers for the tests: Oxigraph (PyPI) and Virtuoso 7 (Debian).

Each server gets its own temporary folder and free loopback ports, is waited
for until it answers, and is stopped by its PID. ``start_*`` raise
:class:`Unavailable` with a precise reason when a server cannot be started,
so the fixtures can skip (never fail) on a machine without it.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_PASSWORD = "kg-test-secret-7"  # set on the fresh database; the tests check it never leaks


class Unavailable(RuntimeError):
    """The server cannot be started here (not installed, failed to start)."""


@contextmanager
def loopback(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded web server on a free loopback port answering with ``handler``: its base URL, while in use."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running server process and the URLs the tests need."""

    name: str
    process: subprocess.Popen[bytes]
    folder: Path
    base: str
    gsp: str
    query: str
    update: str
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    extra: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the server by its PID (TERM, then KILL after a grace period)."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log(self) -> str:
        """The server's own log, for failure messages."""
        for name in ("server.log", "virtuoso.log"):
            p = self.folder / name
            if p.exists():
                return p.read_text(errors="replace")[-3000:]
        return ""


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float, what: str, logfile: Path) -> None:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = logfile.read_text(errors="replace")[-1500:] if logfile.exists() else ""
            raise Unavailable(f"{what} exited with status {process.returncode} while starting: {tail.strip()}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException as err:
            last = type(err).__name__
        time.sleep(0.1)
    process.kill()
    process.wait(timeout=5)
    raise Unavailable(f"{what} did not answer at {url} within {seconds:.0f} s ({last})")


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server command from the PyPI package, if installed."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    return found if found and Path(found).exists() else None


def start_oxigraph(folder: Path) -> Server:
    """``oxigraph serve --location FOLDER/db`` on a free loopback port."""
    exe = oxigraph_binary()
    if exe is None:
        raise Unavailable("the oxigraph server is not installed (pip install oxigraph)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    logfile = folder / "server.log"
    with logfile.open("wb") as log:
        proc = subprocess.Popen(
            [exe, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    _wait(f"{base}/query?query=ASK%7B%7D", proc, 30, "oxigraph serve", logfile)
    return Server("oxigraph", proc, folder, base, f"{base}/store", f"{base}/query", f"{base}/update")


def virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> Path:
    """A copy of Debian's virtuoso.ini with the database in FOLDER and both ports on 127.0.0.1."""
    if not VIRTUOSO_INI.exists():
        raise Unavailable(f"{VIRTUOSO_INI} is missing (apt-get install virtuoso-opensource)")
    ini = configparser.RawConfigParser(strict=False, inline_comment_prefixes=(";",))
    ini.optionxform = str  # type: ignore[assignment,method-assign]  # Virtuoso keys are case-sensitive
    ini.read(VIRTUOSO_INI)
    db = ini["Database"]
    for key, name in [("DatabaseFile", "virtuoso.db"), ("ErrorLogFile", "virtuoso.log"),
                      ("LockFile", "virtuoso.lck"), ("TransactionFile", "virtuoso.trx"),
                      ("xa_persistent_file", "virtuoso.pxa")]:
        db[key] = str(folder / name)
    tmp = ini["TempDatabase"]
    tmp["DatabaseFile"] = str(folder / "virtuoso-temp.db")
    tmp["TransactionFile"] = str(folder / "virtuoso-temp.trx")
    params = ini["Parameters"]
    params["ServerPort"] = f"127.0.0.1:{sql_port}"
    params["DirsAllowed"] = f"., {folder}, /usr/share/virtuoso-opensource-7/vad"
    params["NumberOfBuffers"] = "20000"
    params["MaxDirtyBuffers"] = "15000"
    params["CheckpointInterval"] = "0"
    ini["HTTPServer"]["ServerPort"] = f"127.0.0.1:{http_port}"
    if not ini.has_section("SPARQL"):
        ini.add_section("SPARQL")
    ini["SPARQL"]["ResultSetMaxRows"] = "1000000"
    ini["SPARQL"]["MaxQueryExecutionTime"] = "120"
    path = folder / "virtuoso.ini"
    with path.open("w") as f:
        ini.write(f)
    return path


def start_virtuoso(folder: Path) -> Server:
    """``virtuoso-t +foreground`` on a fresh database in FOLDER, dba password set, on free ports."""
    exe = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt")
    if exe is None or isql is None:
        raise Unavailable("virtuoso-t / isql-vt not found (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = virtuoso_ini(folder, sql_port, http_port)
    logfile = folder / "server.log"
    with logfile.open("wb") as log:
        proc = subprocess.Popen(
            [exe, "+foreground", "+configfile", str(ini)],
            stdout=log, stderr=subprocess.STDOUT, cwd=folder, start_new_session=True,
        )
    base = f"http://127.0.0.1:{http_port}"
    server = Server("virtuoso", proc, folder, base, f"{base}/sparql-graph-crud-auth", f"{base}/sparql",
                    f"{base}/sparql-auth", user="dba", password=VIRTUOSO_PASSWORD, auth="digest",
                    extra={"sql_port": str(sql_port)})
    try:
        _wait(f"{base}/sparql?query=ASK%7B%7D", proc, 90, "virtuoso-t", logfile)
        # A new database starts as dba/dba: set our own password (the tests check it never leaks).
        out = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba",
             f"exec=USER_SET_PASSWORD('dba', '{VIRTUOSO_PASSWORD}');"],
            capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(folder)},
        )
        if out.returncode != 0:
            raise Unavailable(f"isql-vt could not set the dba password: {(out.stdout + out.stderr).strip()[-500:]}")
    except BaseException:
        server.stop()
        raise
    return server


# --------------------------------------------------------------------------- fakes, for error paths only
#
# A real server cannot be made to die after exactly N requests, answer 503 on
# cue, or hang; these small fakes can. They are used for nothing else.


class _Scripted(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ScriptedHTTPServer

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fake = self.server.fake
        with fake.lock:
            n = fake.count
            fake.count += 1
            fake.requests.append((self.command, self.path, body))
        action = fake.script(n, self.command, self.path)
        if action == "drop":  # die mid-load: close the socket without answering
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if action == "proxy":
            self._proxy(body)
            return
        if isinstance(action, tuple) and action[0] == "sleep":
            time.sleep(float(action[1]))
            action = (204, "")
        status, text = action if isinstance(action, tuple) else (int(action), "")
        data = str(text).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _proxy(self, body: bytes) -> None:
        upstream = self.server.fake.upstream
        assert upstream, "proxy action without an upstream"
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
        r = requests.request(self.command, upstream + self.path, data=body, headers=headers, timeout=30)
        self.send_response(r.status_code)
        self.send_header("Content-Type", r.headers.get("Content-Type", "text/plain"))
        self.send_header("Content-Length", str(len(r.content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(r.content)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle  # http.server calls do_<METHOD>

    def log_message(self, *args: object) -> None:
        pass


class _ScriptedHTTPServer(ThreadingHTTPServer):
    fake: FakeServer
    daemon_threads = True


class FakeServer:
    """An HTTP server in a thread whose answer to request number ``n`` is ``script(n, method, path)``.

    An answer is an HTTP status, ``(status, body)``, ``"drop"`` (close without
    answering, like a server that died), ``("sleep", seconds)``, or
    ``"proxy"`` (forward to ``upstream``, a real server).
    """

    def __init__(self, script: Callable[[int, str, str], Any], upstream: str | None = None) -> None:
        self.script = script
        self.upstream = upstream
        self.count = 0
        self.requests: list[tuple[str, str, bytes]] = []
        self.lock = threading.Lock()
        self.httpd = _ScriptedHTTPServer(("127.0.0.1", 0), _Scripted)
        self.httpd.fake = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --------------------------------------------------------------------------- load speed (docs/loading.md)


def _copy(term: object, i: int) -> object:
    """An article's node or span, renamed for copy ``i`` (each copy is an article of its own, as in a real corpus)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode) and "/article/" in term.value:
        return ox.NamedNode(re.sub(r"(/article/[^#/]+)", rf"\1-{i}", term.value, count=1))
    return term


def synthetic_graph(seeds: Path, copies: int, out: Path) -> int:
    """Write ``out``: the seeds' graph with every article graph repeated ``copies`` times under new names.

    The shared graphs (actors, vocabulary, provenance) appear once; the corpus view is left out (it is
    derived from the article graphs: a load makes it). Returns the number of quads.
    """
    import pyoxigraph as ox

    quads = [q for q in ox.parse(path=str(seeds)) if not q.graph_name.value.endswith("graph/corpus")]  # type: ignore[union-attr]
    article = [q for q in quads if "/graph/article/" in q.graph_name.value]  # type: ignore[union-attr]
    shared = [q for q in quads if "/graph/article/" not in q.graph_name.value]  # type: ignore[union-attr]
    n = len(shared)
    with out.open("wb") as f:
        f.write(ox.serialize(shared, format=ox.RdfFormat.N_QUADS) or b"")
        for i in range(copies):
            batch = [ox.Quad(_copy(q.subject, i), q.predicate, _copy(q.object, i),  # type: ignore[arg-type]
                             ox.NamedNode(f"{q.graph_name.value}-{i}"))  # type: ignore[union-attr]
                     for q in article]
            f.write(ox.serialize(batch, format=ox.RdfFormat.N_QUADS) or b"")
            n += len(batch)
    return n


def measure(copies: tuple[int, ...] = (1, 100, 700), servers: bool = True) -> None:
    """Print load speed into the embedded store, Oxigraph server and Virtuoso, as a Markdown table."""
    import tempfile

    from kg.build import build
    from kg.store import load_graph

    root = Path(__file__).resolve().parents[1]
    work = Path(tempfile.mkdtemp(prefix="kg-load-"))
    seeds = work / "seeds.nq"
    build([str(root / "seeds")], str(seeds), validate=False)
    files = []
    for c in copies:
        f = work / f"x{c}.nq"
        n = synthetic_graph(seeds, c, f)
        files.append((c, f, n))
    oxi = start_oxigraph(work / "oxigraph") if servers else None
    virt: Server | None = None
    try:
        virt = start_virtuoso(work / "virtuoso") if servers else None
    except Unavailable as err:
        print(f"Virtuoso unavailable: {err}")
    os.environ["KG_BENCH_PASSWORD"] = VIRTUOSO_PASSWORD
    print("| graph | graphs | triples | target | first load | reload |")
    print("|---|---:|---:|---|---:|---:|")
    try:
        for c, f, n in files:
            targets: list[tuple[str, dict[str, Any]]] = [("embedded store", {"store": work / f"db{c}"})]
            if oxi is not None:
                targets.append(("Oxigraph server, PUT", {"gsp": oxi.gsp}))
            if virt is not None:
                auth = {"user": "dba", "password_env": "KG_BENCH_PASSWORD", "auth": "digest"}
                targets += [("Virtuoso, PUT", {"gsp": virt.gsp, **auth}),
                            ("Virtuoso, PUT + MOVE", {"gsp": virt.gsp, "update": virt.update, **auth})]
            for label, opts in targets:
                first = load_graph(f, **opts)
                again = load_graph(f, **opts)
                print(f"| seeds x{c} | {len(first.graphs)} | {n:,} | {label} | "
                      f"{first.triples_per_second:,.0f}/s ({first.seconds:.2f} s) | "
                      f"{again.triples_per_second:,.0f}/s ({again.seconds:.2f} s) |", flush=True)
    finally:
        if oxi is not None:
            oxi.stop()
        if virt is not None:
            virt.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    # python tests/servers.py [COPIES...] [--embedded-only]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    measure(tuple(int(a) for a in args) or (1, 100, 700), servers="--embedded-only" not in sys.argv)
