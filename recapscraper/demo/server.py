"""A small threaded HTTP server for local sites: the demo, the tests and the benchmarks.

It serves one folder per host name (``www/<host>/...``) and also acts as a plain
HTTP forward proxy for those hosts, so a crawler configured with
``http_proxy=http://127.0.0.1:PORT`` sees stable, realistic addresses such as
``http://tvrecapdaily.example/2024/05/some-recap/`` while nothing leaves the
machine. Requests for a host it does not serve get 502, never the internet.

Text files may contain ``{{site:HOST}}`` tokens, replaced by ``http://HOST`` so the
same files work behind the proxy (the default) or, with ``base_urls``, when each
host is reached directly.

Files are served with ``ETag`` (a hash of the body) and ``Last-Modified`` (the file's
modification time) and conditional requests get ``304 Not Modified``, as on most
real sites; ``validators=False`` serves a site that sends neither.
"""
from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
import threading
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

TOKEN_RE = re.compile(rb"\{\{site:([A-Za-z0-9.\-]+)\}\}")
# <meta charset="..."> or <meta http-equiv=... content="...; charset=...">
META_CHARSET_RE = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_\-]+)", re.I)
TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml",
              "application/json", "application/javascript")
INDEX_FILES = ("index.html", "index.xml")

# A route answers (status, headers, body) for one host and path; tests use it for
# slow, huge, binary or broken responses.
Route = Callable[[str, dict[str, str]], tuple[int, dict[str, str], bytes]]


def _content_type(path: Path, body: bytes) -> str:
    """The type of a file; an HTML page's charset is the one its <meta> declares."""
    if path.suffix == ".xml":
        return "application/xml; charset=utf-8"
    kind, _ = mimetypes.guess_type(path.name)
    kind = kind or "application/octet-stream"
    if kind.startswith("text/") and "charset" not in kind:
        declared = META_CHARSET_RE.search(body[:2048]) if kind == "text/html" else None
        kind += f"; charset={declared.group(1).decode('ascii') if declared else 'utf-8'}"
    return kind


class SiteServer(ThreadingHTTPServer):
    """Serve ``root/<host>/`` for each host; usable as a forward proxy for those hosts."""

    daemon_threads = True
    request_queue_size = 1024  # the default (5) stalls under crawler concurrency
    allow_reuse_address = True

    def __init__(self, root: Path | None, host: str = "127.0.0.1", port: int = 0,
                 default_host: str | None = None, base_urls: dict[str, str] | None = None,
                 validators: bool = True):
        super().__init__((host, port), _Handler)
        self.validators = validators
        self.root = Path(root) if root else None
        self.default_host = default_host
        self.base_urls = base_urls or {}
        self.routes: dict[tuple[str, str], Route] = {}
        self.hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def hosts(self) -> list[str]:
        if not self.root or not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())

    def add_route(self, host: str, path: str, route: Route) -> None:
        self.routes[(host, path)] = route

    def start(self) -> "SiteServer":
        self._thread = threading.Thread(target=self.serve_forever, name="site-server",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> "SiteServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def count(self, key: str) -> None:
        with self._lock:
            self.hits[key] = self.hits.get(key, 0) + 1

    def substitute(self, body: bytes) -> bytes:
        def repl(match: re.Match) -> bytes:
            host = match.group(1).decode()
            return self.base_urls.get(host, f"http://{host}").encode()
        return TOKEN_RE.sub(repl, body)

    def resolve(self, host: str, path: str) -> Path | None:
        """The file for ``path`` on ``host``, or None; never escapes the host folder."""
        if not self.root:
            return None
        base = (self.root / host).resolve()
        clean = posixpath.normpath(unquote(path))
        target = (base / clean.lstrip("/")).resolve()
        if base not in target.parents and target != base:
            return None
        if target.is_dir():
            for name in INDEX_FILES:
                if (target / name).is_file():
                    return target / name
            return None
        return target if target.is_file() else None


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet by default
        pass

    def _target(self) -> tuple[str, str, str]:
        parts = urlsplit(self.path)
        if parts.scheme and parts.netloc:  # proxy form: absolute URI
            host = parts.hostname or ""
        else:
            host = (self.headers.get("Host") or "").split(":")[0]
            if self.server.default_host and (host in ("127.0.0.1", "localhost", "")
                                             or host not in self.server.hosts()):
                host = self.server.default_host
        return host.lower(), parts.path or "/", parts.query

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        host, path, query = self._target()
        self.server.count(f"{host}{path}")
        route = self.server.routes.get((host, path)) or self.server.routes.get(("*", path))
        if route:
            status, headers, body = route(query, dict(self.headers))
            headers = dict(headers)  # routes may share one dict; Content-Length is per body
        else:
            status, headers, body = self._static(host, path)
            if status == 200 and self.server.validators and self._not_modified(headers):
                self.server.count("304")
                status, body = 304, b""
                headers = {k: v for k, v in headers.items() if k != "Content-Type"}
        self.send_response(status)
        headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def _static(self, host: str, path: str) -> tuple[int, dict[str, str], bytes]:
        if host not in self.server.hosts():
            return 502, {"Content-Type": "text/plain"}, b"unknown host " + host.encode()
        target = self.server.resolve(host, path)
        if target is None:
            return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>Not found</h1>"
        body = target.read_bytes()
        ctype = _content_type(target, body)
        if ctype.startswith(TEXT_TYPES):
            body = self.server.substitute(body)
        headers = {"Content-Type": ctype}
        if self.server.validators:
            headers["ETag"] = '"%s"' % hashlib.blake2b(body, digest_size=12).hexdigest()
            headers["Last-Modified"] = formatdate(int(target.stat().st_mtime), usegmt=True)
        return 200, headers, body

    def _not_modified(self, headers: dict[str, str]) -> bool:
        """RFC 9110 13.1: If-None-Match wins; else If-Modified-Since against Last-Modified."""
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
            return "*" in wanted or headers.get("ETag") in wanted
        since = self.headers.get("If-Modified-Since")
        if since and headers.get("Last-Modified"):
            try:
                return parsedate_to_datetime(headers["Last-Modified"]) <= \
                    parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False


def demo_root() -> Path:
    """Folder of the bundled demo sites (package data)."""
    return Path(__file__).with_name("www")


def main(argv: list[str] | None = None) -> None:
    """``python -m recapscraper.demo.server [--root DIR] [--port N]``: serve sites until killed.

    Prints the server URL on the first line of stdout (for scripts), then serves.
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--root", type=Path, default=demo_root(),
                        help="folder with one sub-folder per host (default: the demo sites)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--no-validators", action="store_true",
                        help="send no ETag/Last-Modified and never answer 304")
    args = parser.parse_args(argv)
    server = SiteServer(args.root, host=args.host, port=args.port,
                        validators=not args.no_validators)
    print(server.url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
