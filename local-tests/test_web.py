"""The web portal (web/), end to end: served by the local gateway on the API's own origin, and
whole journeys in a real browser (web/e2e/journeys.mjs: playwright-core driving Debian's
Chromium, no browser download), with a screenshot of every page kept under
local-tests/artifacts/screenshots/ and the steps with their timings in
local-tests/artifacts/web-journeys.log (git-ignored).

Needs web/build.sh (npm packages and web/dist) and web/install-chromium.sh (/usr/bin/chromium),
which bootstrap.sh runs."""

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WEB = REPO / "web"
DIST = WEB / "dist"
SCREENSHOTS = REPO / "local-tests" / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
JOURNEYS_TIMEOUT = 900  # seconds; about a minute once the functions are warm
HTML = {"accept": "text/html,application/xhtml+xml"}


def require_build():
    index = DIST / "index.html"
    if not index.exists():
        pytest.fail("web/dist is missing: run web/build.sh", pytrace=False)
    sources = [p for d in ("src", "public") for p in (WEB / d).rglob("*") if p.is_file()]
    sources += [WEB / "index.html", WEB / "package-lock.json"]
    stale = [p for p in sources if p.stat().st_mtime > index.stat().st_mtime]
    if stale:
        pytest.fail(f"web/dist is older than {stale[0].relative_to(REPO)}: run web/build.sh", pytrace=False)


# What the API says to people, as the Rust source writes it: problem details and field messages.
API_TEXT = [
    r'(?:Forbidden|NotFound|Conflict|Gone)\(\s*"([^"]+)",?\s*\)',  # problem details
    r'Format\(\s*"([^"]+)",?\s*\)',  # field messages
    r'Err\(\s*"([^"]+)",?\s*\)',
    r'invalid\(\s*"(?!Idempotency-Key)[^"]+",\s*"([^"]+)",?\s*\)',
    r'refuse\(name, "([^"]+)"\)',
    r'(?:Locked|TooManyRequests \{[^}]*\}|InProgress \{[^}]*\}) => \([^;]*?"([A-Z][^"]+\.)",',  # fixed details
]
DOMAIN_TEXT = r'#\[error\("([^"]+)"\)\]'  # the domain's parse errors, shown as field messages


def test_every_api_message_has_english_and_french_text_in_the_portal():
    """A message the API can show a person (a problem's detail, a field's message) is in the
    portal's dictionary (web/src/i18n.ts), so it is shown in French too."""
    source = "\n".join(p.read_text() for p in (REPO / "shared" / "src").rglob("*.rs"))
    domain = "\n".join(p.read_text() for p in (REPO / "shared" / "src" / "domain").rglob("*.rs"))
    said = {m for pattern in API_TEXT for m in re.findall(pattern, source, re.S)}
    said |= {m.replace("{0}", "{n}") for m in re.findall(DOMAIN_TEXT, domain) if m != "{0}"}
    dictionary = (WEB / "src" / "i18n.ts").read_text()
    keys = set(re.findall(r'^\s*"(api(?:msg|detail)\.[^"]+)":', dictionary, re.M))
    missing = sorted(m for m in said if f"apimsg.{m}" not in keys and f"apidetail.{m}" not in keys)
    assert len(said) > 60, said  # the patterns still find the API's messages
    assert not missing, f"add to web/src/i18n.ts (en and fr): {missing}"


def test_portal_is_served_on_the_api_origin_without_changing_the_api(stack):
    require_build()
    page = stack.http.get(stack.api + "/", headers=HTML, timeout=30)
    assert page.status_code == 200, "the gateway does not serve web/dist (started before its webstatic hook?)"
    assert page.headers["content-type"].startswith("text/html")
    assert '<div id="app">' in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"

    # A reload of any portal path gets the portal, which routes it in the browser.
    deep = stack.http.get(stack.api + "/business/abcdefghijklmnopqrstuvwxyz/members", headers=HTML, timeout=30)
    assert deep.status_code == 200 and deep.text == page.text

    # Built files by name; hashed assets are cached for good, the rest revalidated.
    script = re.search(r'src="(/assets/[^"]+\.js)"', page.text).group(1)
    asset = stack.http.get(stack.api + script, timeout=30)
    assert asset.status_code == 200 and asset.headers["content-type"].startswith("text/javascript")
    assert "immutable" in asset.headers["cache-control"]
    assert page.headers["cache-control"] == "no-cache"
    config = stack.http.get(stack.api + "/config.json", timeout=30)
    assert config.status_code == 200 and config.json()["auth"]["mode"] == "local"

    # API clients see exactly what API Gateway answers: unknown paths, other methods, files
    # that do not exist, and nothing outside the build.
    for method, path, headers in [("GET", "/nope", {}), ("POST", "/", HTML), ("GET", "/assets/missing.js", HTML),
                                  ("GET", "/%2e%2e/Cargo.toml", HTML), ("GET", "/_local/nothing", HTML)]:
        response = stack.http.request(method, stack.api + path, headers=headers, timeout=30)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.json() == {"message": "Not Found"}
    assert stack.call("GET", "/programs").status_code == 200


def test_every_terms_version_the_api_names_is_readable_in_english_and_french(stack):
    """Each version GET /programs names (the portal's, each program's) has its page in both
    languages, served with the portal, in that language, saying its version, each linking to
    the other language; and a version the API does not name has no page."""
    require_build()
    programs = stack.call("GET", "/programs").json()
    versions = [programs["portal_terms_version"]] + [p["terms_version"] for p in programs["programs"]]
    assert len(set(versions)) == 4, versions
    for version in versions:
        for lang, other in (("en", "fr"), ("fr", "en")):
            page = stack.http.get(f"{stack.api}/terms/{version}.{lang}.html", headers=HTML, timeout=30)
            assert page.status_code == 200, (version, lang)
            assert page.headers["content-type"].startswith("text/html")
            assert f'<html lang="{lang}">' in page.text and f"<strong>{version}</strong>" in page.text
            assert f'href="/terms/{version}.{other}.html"' in page.text
            assert "<script" not in page.text and "style=" not in page.text  # the CSP allows neither
            assert len(re.findall(r"<h2>", page.text)) >= 3, (version, lang)
    assert stack.http.get(f"{stack.api}/terms/1999-01.en.html", headers=HTML, timeout=30).status_code == 404
    served = {p.name for p in (DIST / "terms").glob("*.html")}
    assert served == {f"{v}.{lang}.html" for v in versions for lang in ("en", "fr")}, served


def test_browser_journeys(stack):
    require_build()
    if not (WEB / "node_modules" / "playwright-core").is_dir():
        pytest.fail("web/node_modules is missing: run web/build.sh", pytrace=False)
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run web/install-chromium.sh", pytrace=False)
    try:
        run = subprocess.run(
            ["node", "e2e/journeys.mjs", stack.api, str(SCREENSHOTS)],
            cwd=WEB, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=JOURNEYS_TIMEOUT, env={**os.environ, "CHROMIUM": CHROMIUM, "MOTO_URL": stack.info["moto_url"]},
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"the browser journeys did not finish in {JOURNEYS_TIMEOUT}s:\n{e.stdout or ''}", pytrace=False)
    print(run.stdout)
    (SCREENSHOTS.parent / "web-journeys.log").write_text(run.stdout + run.stderr)
    assert run.returncode == 0, (
        f"browser journeys failed (screenshots in {SCREENSHOTS}):\n{run.stdout[-8000:]}\n{run.stderr[-4000:]}")
    shots = sorted(SCREENSHOTS.glob("*.png"))
    assert len(shots) >= 20 and not [s for s in shots if s.name.startswith("FAILED")]
