"""Shared fixtures: paths, and a local HTTP server for URL reading."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from servers import loopback

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

_PAGES = {
    "/story.html": (
        "text/html; charset=utf-8",
        "<html><head><title>Port strike ends</title></head><body><article><h1>Port strike ends</h1>"
        "<p>Dock workers in Montevideo ended a week-long strike on Thursday after the government "
        "agreed to review their pay, union leaders said.</p></article></body></html>",
    ),
    "/image.png": ("image/png", "\x89PNG"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        page = _PAGES.get(self.path)
        if page is None:
            self.send_error(404)
            return
        body = page[1].encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", page[0])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets an empty extraction cache of its own, never the user's (``kg`` caches by default)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture(scope="session")
def http_server() -> Iterator[str]:
    """A web server on a free loopback port, serving a few fixed pages."""
    with loopback(_Handler) as url:
        yield url
