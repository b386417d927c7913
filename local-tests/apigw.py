"""A local stand-in for API Gateway (HTTP API, Lambda payload format 2.0) in front of the functions.

It matches the template's routes, runs the JWT authorizer the deployed API runs, builds the
payload-2.0 event, invokes the function through cargo lambda watch's Lambda Invoke API and turns
the function's answer back into an HTTP response, with API Gateway's own error bodies.
It also serves POST /_local/token, which exists only here, to mint tokens signed with the key
whose public half is in the JWKS secret, and /_local/faults, which drives the local stack's fault
proxies in front of the emulators (stack.py):
    POST /_local/faults {"service": "dynamodb"|"secretsmanager"|"ses",
                         "mode": "up"|"down"|"fail_after"|"stall", "n": 2 (fail_after only)}
        -> 200 that service's state: mode, n, remaining, and counts of forwarded and refused
           requests per operation
    GET /_local/faults -> 200 the state of every service
and /_local/streams, which drives the stack's emulation of the template's DynamoDB stream event
sources (Lambda event source mappings: stack.py, StreamPoller), which invoke their function with
the table's new stream records:
    POST /_local/streams/settle {"timeout_seconds": 60 (optional, at most 300)}
        -> 200 once every poller has completed a full pass that started after this request
           arrived: it read every shard of the stream to its current end and finished invoking
           (with retries) every batch it found, so whatever a change made before the request
           caused (a notice sent, or tried) has happened; the body is the state below
        -> 504 no such pass in time (the message says the last error); 409 a poller is paused
    POST /_local/streams {"paused": true|false} -> 200 the state (paused: records wait in the
        stream and are delivered on resume, as with a disabled event source mapping)
    GET /_local/streams -> 200 {"sources": [{"function", "event", "paused", "passes", "records",
        "passed", "filtered", "invocations", "failed_invocations", "dropped_batches", ...}]}
"""

import base64
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

import jwt

import webstatic

TOKEN_PATH = "/_local/token"
FAULTS_PATH = "/_local/faults"
STREAMS_PATH = "/_local/streams"
SETTLE_PATH = "/_local/streams/settle"
SETTLE_TIMEOUT = 60  # seconds POST /_local/streams/settle waits by default
SETTLE_TIMEOUT_MAX = 300
IDPS = ("gckey", "sign-in-partner")
MAX_BODY = 10 * 1024 * 1024  # HTTP API's request payload quota
# A function that changed since the last build is rebuilt by cargo lambda watch while its first
# request waits, so the wait is longer than API Gateway's 30 s integration timeout.
INVOKE_TIMEOUT = 120
ACCOUNT_ID = "123456789012"
API_ID = "local"
# The JWT authorizer of HTTP APIs accepts RSA signatures only.
RSA_ALGORITHMS = ["RS256", "RS384", "RS512"]
# Response headers that describe the connection, not the function's answer.
HOP_BY_HOP = {"connection", "content-length", "transfer-encoding", "keep-alive"}


class Unauthorized(Exception):
    """A token the JWT authorizer refuses; the message becomes error_description."""


class StreamsPaused(Exception):
    """POST /_local/streams/settle while a stream poller is paused (409)."""


class SettleTimeout(Exception):
    """POST /_local/streams/settle: no full pass of the stream pollers in time (504)."""


class FunctionFailed(Exception):
    """The function errored, crashed, or answered something API Gateway cannot use."""


def claim_string(value):
    """A claim as API Gateway hands it to the function: always a string, arrays as "[a b]"."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(claim_string(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{claim_string(v)}" for k, v in sorted(value.items())) + "]"
    return json.dumps(value)  # numbers and booleans: 1700000000, true


class JwtAuthorizer:
    """API Gateway's JWT authorizer: kid, RSA signature, iss, aud (or client_id), exp, nbf, iat."""

    def __init__(self, jwks, issuer, audience):
        self.keys = {k["kid"]: jwt.PyJWK(k) for k in jwks["keys"]}
        self.issuer = issuer
        self.audience = audience

    def claims(self, authorization):
        """The verified claims of the Authorization header's token, or raises Unauthorized."""
        if not authorization:
            raise Unauthorized("the token is missing")
        # The identity source may hold the token alone or prefixed with "Bearer".
        token = authorization[7:] if authorization[:7].lower() == "bearer " else authorization
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise Unauthorized("the token is malformed") from None
        key = self.keys.get(header.get("kid"))
        if key is None:
            raise Unauthorized("no key of the issuer matches the token's kid")
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=RSA_ALGORITHMS,
                issuer=self.issuer,
                options={"require": ["exp", "iss"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise Unauthorized("the token is not valid yet") from None
        except jwt.InvalidIssuerError:
            raise Unauthorized("the token does not have a valid issuer") from None
        except jwt.InvalidTokenError as e:
            raise Unauthorized(f"the token is invalid: {e}") from None
        # API Gateway checks client_id only when the token has no aud.
        aud = claims["aud"] if "aud" in claims else claims.get("client_id")
        if self.audience not in (aud if isinstance(aud, list) else [aud]):
            raise Unauthorized("the token does not have a valid audience")
        return claims


def sign_in_methods(roles):
    """The `amr` a credential provider reports for a fresh sign-in: a password, and a second
    factor for agency officers (whose routes need one)."""
    return ["pwd", "mfa"] if "agency-officer" in roles else ["pwd"]


class TokenMinter:
    """Signs access tokens as the credential provider would, for POST /_local/token."""

    def __init__(self, private_key_pem, kid, issuer, audience):
        self.private_key_pem = private_key_pem
        self.kid = kid
        self.issuer = issuer
        self.audience = audience

    def mint(self, request):
        """(status, body) for a POST /_local/token request body (already parsed JSON)."""
        if not isinstance(request, dict):
            return 400, {"message": "body must be a JSON object"}
        sub, idp = request.get("sub"), request.get("idp")
        roles = request.get("roles", [])
        ttl = request.get("ttl_seconds", 3600)
        now = int(time.time())
        # When and how the person signed in (RFC 9470): now, with a password, and with a second
        # factor for agency officers, unless the request says otherwise (to try step-up).
        auth_time = request.get("auth_time", now)
        amr = request.get("amr", sign_in_methods(roles if isinstance(roles, list) else []))
        if not isinstance(sub, str) or not sub:
            return 400, {"message": "sub must be a non-empty string"}
        if idp not in IDPS:
            return 400, {"message": f"idp must be one of {', '.join(IDPS)}"}
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            return 400, {"message": "roles must be a list of strings"}
        if not isinstance(ttl, int) or isinstance(ttl, bool):
            return 400, {"message": "ttl_seconds must be an integer"}
        if not isinstance(auth_time, int) or isinstance(auth_time, bool):
            return 400, {"message": "auth_time must be an integer (seconds since the epoch)"}
        if not isinstance(amr, list) or not all(isinstance(m, str) for m in amr):
            return 400, {"message": "amr must be a list of strings"}
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": sub,
            "idp": idp,
            "roles": roles,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "auth_time": auth_time,
            "amr": amr,
        }
        token = jwt.encode(claims, self.private_key_pem, algorithm="RS256", headers={"kid": self.kid})
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": ttl}


def build_event(*, route, path_params, method, target, header_items, body, source_ip, claims,
                request_id, now):
    """The payload-2.0 event API Gateway sends the function for this request."""
    split = urlsplit(target)
    headers, cookies = {}, []
    for name, value in header_items:
        name = name.lower()
        if name == "cookie":  # payload 2.0 moves cookies out of the headers
            cookies += [c.strip() for c in value.split(";") if c.strip()]
        else:  # repeated headers are joined with commas
            headers[name] = f"{headers[name]},{value}" if name in headers else value
    headers["x-forwarded-for"] = (
        f"{headers['x-forwarded-for']}, {source_ip}" if "x-forwarded-for" in headers else source_ip
    )
    headers.setdefault("x-forwarded-proto", "http")
    headers["x-amzn-trace-id"] = f"Root=1-{int(now):08x}-{secrets.token_hex(12)}"
    query = {}
    for name, value in parse_qsl(split.query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    domain = headers.get("host", "localhost").split(":")[0]

    request_context = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": domain,
        "domainPrefix": domain.split(".")[0],
        "http": {
            "method": method,
            "path": split.path,
            "protocol": "HTTP/1.1",
            "sourceIp": source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": request_id,
        "routeKey": route.route_key,
        "stage": "$default",
        "time": datetime.fromtimestamp(now, timezone.utc).strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(now * 1000),
    }
    if claims is not None:
        request_context["authorizer"] = {
            "jwt": {"claims": {k: claim_string(v) for k, v in claims.items()}, "scopes": None}
        }
    event = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": split.path,
        "rawQueryString": split.query,
        "headers": headers,
        "requestContext": request_context,
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_params:
        event["pathParameters"] = {k: unquote(v) for k, v in path_params.items()}
    if body:
        try:
            event["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            event["body"] = base64.b64encode(body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def http_response(payload):
    """(status, headers, body) for a function's payload-2.0 answer; raises FunctionFailed."""
    try:
        result = json.loads(payload)
    except ValueError:
        raise FunctionFailed(f"answer is not JSON: {payload[:200]!r}") from None
    if not isinstance(result, dict) or "statusCode" not in result:
        if isinstance(result, dict) and "errorType" in result and "errorMessage" in result:
            # cargo lambda watch passes a function's init error on as a normal answer
            raise FunctionFailed(f"function error: {result}")
        # Payload 2.0: JSON without statusCode is the body of a 200 application/json answer.
        return 200, [("content-type", "application/json")], payload
    try:
        status = int(result["statusCode"])
        # multiValueHeaders is not part of payload format 2.0 and API Gateway ignores it
        # (lambda_http repeats the same headers there).
        headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()
                   if k.lower() not in HOP_BY_HOP]
        headers += [("set-cookie", c) for c in result.get("cookies") or []]
        body = result.get("body") or ""
        body = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")
    except (ValueError, TypeError, AttributeError) as e:
        raise FunctionFailed(f"unusable answer ({e}): {payload[:200]!r}") from None
    return status, headers, body


class Gateway(ThreadingHTTPServer):
    """The HTTP server: one thread per connection."""

    daemon_threads = True
    request_queue_size = 128  # 50+ clients may connect at once

    def __init__(self, address, *, routes, authorizer, minter, watch_url, log, faults=None, streams=None):
        self.routes = routes
        self.authorizer = authorizer
        self.minter = minter
        self.watch_url = watch_url
        self.log = log
        self.faults = faults  # stack.FaultProxies, or None: no /_local/faults
        self.streams = streams  # stack.StreamPollers, or None: no /_local/streams
        super().__init__(address, GatewayHandler)

    def invoke(self, binary, event):
        """The function's answer (bytes) through the Lambda Invoke API of cargo lambda watch."""
        request = urllib.request.Request(
            f"{self.watch_url}/2015-03-31/functions/{binary}/invocations",
            data=json.dumps(event).encode("utf-8"),
            headers={"content-type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=INVOKE_TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as e:  # 500: the function failed; 404: no such binary
            raise FunctionFailed(f"invoke {binary}: HTTP {e.code} {e.read()[:500]!r}") from None


class GatewayHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as API Gateway offers

    def handle_any(self):
        started = time.time()
        request_id = str(uuid.uuid4())
        self.note = ""  # what the log line says beyond the status
        try:
            status, headers, body = self.route(request_id, started)
        except Exception:  # a bug here must still answer, as API Gateway would, and be logged
            self.server.log.exception("%s unexpected gateway error", request_id)
            status, headers, body = message(500, "Internal Server Error")
        headers.append(("apigw-requestid", request_id))
        # Logged before answering, so a client that has the answer finds the line.
        self.server.log.info(
            "%s %s %s -> %d %dms %s",
            request_id, self.command, self.path, status, (time.time() - started) * 1000, self.note,
        )
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any

    def __getattr__(self, name):
        # Any other method (TRACE, CONNECT, PROPFIND, ...): http.server would answer its own HTML
        # 501; API Gateway finds no route for it and answers 404 {"message": "Not Found"}.
        if name.startswith("do_"):
            return self.handle_any
        raise AttributeError(name)

    def route(self, request_id, now):
        body = self.read_body()
        if body is None:
            self.note = f"body over {MAX_BODY} bytes"
            return message(413, "Request Entity Too Large")
        path = urlsplit(self.path).path
        if path == TOKEN_PATH and self.command == "POST":
            self.note = "local token"
            try:
                status, answer = self.server.minter.mint(json.loads(body or b"null"))
            except ValueError:
                status, answer = 400, {"message": "body must be JSON"}
            return status, [("content-type", "application/json")], json.dumps(answer).encode()
        if path == FAULTS_PATH and self.server.faults is not None and self.command in ("GET", "POST"):
            status, answer = self.faults(body)
            return status, [("content-type", "application/json")], json.dumps(answer).encode()
        if path in (STREAMS_PATH, SETTLE_PATH) and self.server.streams is not None:
            if (path, self.command) in ((STREAMS_PATH, "GET"), (STREAMS_PATH, "POST"), (SETTLE_PATH, "POST")):
                status, answer = self.streams(path, body)
                return status, [("content-type", "application/json")], json.dumps(answer).encode()

        route, path_params = self.find_route(path)
        if route is None:
            static = webstatic.serve(self.command, self.path, self.headers)  # the web portal
            if static is not None:
                self.note = "web portal file"
                return static
            self.note = "no route"
            return message(404, "Not Found")
        self.note = f"route={route.route_key!r} function={route.binary}"
        claims = None
        if not route.public:
            try:
                claims = self.server.authorizer.claims(self.headers.get("authorization"))
            except Unauthorized as e:
                self.note += f" not invoked: {e}"
                status, headers, body = message(401, "Unauthorized")
                description = str(e).replace('"', "'")
                headers.append(("www-authenticate",
                                f'Bearer scope="" error="invalid_token" error_description="{description}"'))
                return status, headers, body
        event = build_event(
            route=route, path_params=path_params, method=self.command, target=self.path,
            header_items=self.headers.items(), body=body, source_ip=self.client_address[0],
            claims=claims, request_id=request_id, now=now,
        )
        try:
            return http_response(self.server.invoke(route.binary, event))
        except TimeoutError:
            self.note += f" timed out after {INVOKE_TIMEOUT}s"
            return message(503, "Service Unavailable")
        except (FunctionFailed, OSError) as e:  # OSError: watch unreachable or hung up
            self.note += f" failed: {e}"
            return message(500, "Internal Server Error")

    def faults(self, body):
        """(status, answer) for GET or POST /_local/faults."""
        faults = self.server.faults
        if self.command == "GET":
            self.note = "local faults: state"
            return 200, faults.state()
        try:
            request = json.loads(body or b"null")
        except ValueError:
            return 400, {"message": "body must be JSON"}
        if not isinstance(request, dict):
            return 400, {"message": "body must be a JSON object"}
        try:
            state = faults.set_mode(request.get("service"), request.get("mode"), request.get("n"))
        except ValueError as e:
            self.note = f"local faults: refused: {e}"
            return 400, {"message": str(e)}
        self.note = f"local faults: {state['service']} -> {state['mode']}" + (
            f" {state['n']}" if state["n"] is not None else "")
        return 200, state

    def streams(self, path, body):
        """(status, answer) for /_local/streams and POST /_local/streams/settle."""
        streams = self.server.streams
        if self.command == "GET":
            self.note = "local streams: state"
            return 200, streams.state()
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return 400, {"message": "body must be JSON"}
        if not isinstance(request, dict):
            return 400, {"message": "body must be a JSON object"}
        if path == STREAMS_PATH:
            paused = request.get("paused")
            if not isinstance(paused, bool):
                return 400, {"message": "paused must be true or false"}
            self.note = f"local streams: paused={paused}"
            return 200, streams.set_paused(paused)
        timeout = request.get("timeout_seconds", SETTLE_TIMEOUT)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= SETTLE_TIMEOUT_MAX:
            return 400, {"message": f"timeout_seconds must be a number in (0, {SETTLE_TIMEOUT_MAX}]"}
        started = time.monotonic()
        try:
            state = streams.settle(timeout)
        except StreamsPaused as e:
            self.note = f"local streams: settle refused: {e}"
            return 409, {"message": str(e)}
        except SettleTimeout as e:
            self.note = f"local streams: settle timed out: {e}"
            return 504, {"message": str(e)}
        self.note = f"local streams: settled in {(time.monotonic() - started) * 1000:.0f}ms"
        return 200, state

    def find_route(self, path):
        # A path that exists under another method is still "Not Found", as in HTTP APIs.
        for route in self.server.routes:
            if route.method in (self.command, "ANY"):
                params = route.match(path)
                if params is not None:
                    return route, params
        return None, None

    def read_body(self):
        """The request body, or None when it is larger than API Gateway accepts.

        An oversized body is still read to its end, so the client gets the 413 rather than a
        connection reset in the middle of its upload.
        """
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            chunks, size = [], 0
            while chunk_size := int(self.rfile.readline().split(b";")[0], 16):
                chunk = self.rfile.read(chunk_size)
                self.rfile.readline()  # the CRLF after each chunk
                size += chunk_size
                if size <= MAX_BODY:
                    chunks.append(chunk)
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks) if size <= MAX_BODY else None
        length = int(self.headers.get("content-length") or 0)
        if length <= MAX_BODY:
            return self.rfile.read(length)
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:  # the client gave up
                break
            length -= len(chunk)
        return None

    def version_string(self):
        return "local-apigw"  # the Server header

    def log_message(self, format, *args):
        pass  # handle_any writes one line per request to the gateway log instead


def message(status, text):
    """API Gateway's own answer: {"message": ...}."""
    body = json.dumps({"message": text}, separators=(",", ":")).encode()
    return status, [("content-type", "application/json")], body


def gateway_logger(path):
    return file_logger("gateway", path)


def file_logger(name, path):
    """A logger of its own that writes timestamped lines to `path` (and nowhere else)."""
    log = logging.getLogger(name)
    log.setLevel(logging.INFO)
    log.propagate = False
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(handler)
    return log
