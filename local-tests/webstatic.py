"""The web portal's static files (the build in web/dist), served by the local gateway on the
API's own origin, as CloudFront serves them from the bucket when deployed (web/README.md).

apigw.py asks `serve` about a GET or HEAD request that matches no API route:
- a file of the build (`/`, `/index.html`, `/assets/index-3f2a.js`, `/config.json`) is served;
- any other path asked for by a browser navigation (Accept: text/html, no file extension) gets
  index.html, so the portal's own routes (`/dashboard`, `/business/{id}/members`) survive a reload;
- anything else returns None and the gateway answers its usual 404 {"message": "Not Found"}, so
  API clients see exactly what API Gateway answers.
The build is read from web/dist, or from $TRADE_PORTAL_WEB_DIST; nothing is served while it is
missing (web/build.sh makes it).
"""

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

DIST = Path(os.environ.get("TRADE_PORTAL_WEB_DIST")
            or Path(__file__).resolve().parent.parent / "web" / "dist").resolve()

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
}

# The same headers CloudFront's response headers policy adds when deployed (web/README.md).
# connect-src 'self': the API is on this origin; a deployed OIDC token endpoint is added there.
SECURITY_HEADERS = [
    ("content-security-policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
     "form-action 'self'; frame-ancestors 'none'"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
]


def _file(path):
    """The file of the build that `path` names, or None (never anything outside the build)."""
    relative = unquote(path).lstrip("/") or "index.html"
    candidate = (DIST / relative).resolve()
    if DIST not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def _answer(file):
    body = file.read_bytes()
    kind = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    # Vite names what it builds under assets/ by content hash: those never change.
    immutable = file.parent == DIST / "assets"
    headers = [
        ("content-type", kind),
        ("cache-control", "public, max-age=31536000, immutable" if immutable else "no-cache"),
        *SECURITY_HEADERS,
    ]
    # For HEAD too: the gateway sends the length of the body, and no body.
    return 200, headers, body


def serve(method, target, headers):
    """(status, headers, body) for a GET or HEAD that matches no API route, or None."""
    if method not in ("GET", "HEAD") or not (DIST / "index.html").is_file():
        return None
    path = urlsplit(target).path
    if path.startswith("/_local/"):
        return None
    file = _file(path)
    if file is not None:
        return _answer(file)
    accepts_html = "text/html" in (headers.get("accept") or "")
    looks_like_file = "." in path.rsplit("/", 1)[-1]
    if accepts_html and not looks_like_file:
        return _answer(DIST / "index.html")
    return None
