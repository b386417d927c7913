"""Data and API Gateway v2 events for the benchmark: for each function, events that make it do
its real work on its first request (fresh data where a request consumes it), made through the
local stack's API (the stack's gateway and functions), as the end-to-end tests do.
"""

import collections
import csv
import datetime
import hashlib
import io
import json
import random
import re
import string
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import jwt
import requests

LOCAL_TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(LOCAL_TESTS))
import apigw  # noqa: E402  (the stack's own event builder: the events are what the gateway sends)
from test_businesses import luhn_check_digit  # noqa: E402  (identifiers as the tests make them)
from test_users import damm_digit  # noqa: E402

# POST /businesses allows 20 activation attempts per credential an hour (429 after): every
# activation here comes from a user who has made fewer than this many.
ACTIVATIONS_PER_USER = 15
TOKEN_TTL = 4 * 3600  # the whole benchmark runs well within it
REQUEST_TIMEOUT = 120
SETUP_WORKERS = 6
INVOKE_TIMEOUT = 300  # a scheduled function invoked through the stack's cargo lambda watch
# Two years without a request retire an account (the sweep, retire-dormant-accounts).
RETIRE_AFTER_DAYS = 730
IMPORT_HEADER = "program,identifier,business_number,legal_name,mailing_address,email,language"


class SetupFailed(Exception):
    pass


class Api:
    """Calls the stack's API and builds events; keeps identifiers unique within the run."""

    def __init__(self, stack, routes):
        self.stack = stack
        self.api = stack["api_url"]
        self.key = Path(stack["jwt_private_key_pem_path"]).read_bytes()
        self.routes = routes
        self.local = threading.local()
        self.used = set()
        self.lock = threading.Lock()
        self.rng = random.Random()  # fresh identifiers even against a stack that already holds data
        self.calls = 0
        self.activations = collections.Counter()
        programs = self.call("GET", "/programs").json()
        self.portal_terms = programs["portal_terms_version"]
        self.terms = {p["program"]: p["terms_version"] for p in programs["programs"]}

    # ---- tokens and calls

    def token(self, sub, roles=(), idp="gckey"):
        now = int(time.time())
        claims = {"iss": self.stack["jwt_issuer"], "aud": self.stack["jwt_audience"], "sub": sub,
                  "idp": idp, "roles": list(roles), "iat": now, "nbf": now, "exp": now + TOKEN_TTL,
                  "auth_time": now, "amr": apigw.sign_in_methods(roles)}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.stack["jwt_kid"]})

    def session(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def call(self, method, path, token=None, body=None, expect=None):
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = self.session().request(method, self.api + path, json=body, headers=headers,
                                          timeout=REQUEST_TIMEOUT)
        with self.lock:
            self.calls += 1
        if expect is not None and response.status_code != expect:
            raise SetupFailed(f"{method} {path} -> {response.status_code} (wanted {expect}): {response.text[:300]}")
        return response

    # ---- the stack's stream (send-notices)

    def settle_streams(self, timeout=300):
        """Waits until the stack's stream pollers have delivered every notice the setup wrote
        (POST /_local/streams/settle): send-notices runs now, not during the measurements."""
        response = self.session().post(self.api + "/_local/streams/settle",
                                       json={"timeout_seconds": timeout}, timeout=timeout + 30)
        if response.status_code != 200:
            raise SetupFailed(f"POST /_local/streams/settle -> {response.status_code}: {response.text[:300]}")

    def pause_streams(self):
        """Holds the stack's stream pollers (POST /_local/streams {"paused": true}): the notices
        the measured requests write wait in the stream, so send-notices does not compete with
        them for the two cores. The stack is stopped at the end of the run."""
        response = self.session().post(self.api + "/_local/streams", json={"paused": True}, timeout=30)
        if response.status_code != 200:
            raise SetupFailed(f"POST /_local/streams -> {response.status_code}: {response.text[:300]}")

    def unique(self, make):
        with self.lock:
            while True:
                value = make(self.rng)
                if value not in self.used:
                    self.used.add(value)
                    return value

    # ---- identifiers

    def carrier_code(self):
        return self.unique(lambda r: "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(4)))

    def bn9(self):
        def make(r):
            body = "".join(r.choice(string.digits) for _ in range(8))
            return body + luhn_check_digit(body)
        return self.unique(make)

    def client_number(self):
        def make(r):
            body = "".join(r.choice(string.digits) for _ in range(7))
            return "P" + body + damm_digit(body)
        return self.unique(make)

    # ---- the things the routes need

    def new_user(self, language="en"):
        sub = f"bench-{uuid.uuid4()}"
        token = self.token(sub)
        body = self.profile(language)
        user = self.call("POST", "/users", token, body, expect=201).json()
        return {"sub": sub, "token": token, "urn": user["urn"], "email": body["email"]}

    def profile(self, language="en"):
        return {"name": "Alex Tremblay", "email": f"alex.{uuid.uuid4().hex[:10]}@example.com",
                "phone": "+1 613 555 0100", "language": language, "terms_version": self.portal_terms}

    def officer(self):
        return self.token(f"officer-{uuid.uuid4()}", roles=["agency-officer"])

    def secret_order(self, program, identifier, email=True):
        body = {"program": program, "business_identifier": identifier,
                "legal_name": f"Northern Freight {identifier} Ltd.",
                "mailing_address": "100 Wellington St\nOttawa ON  K1A 0A9"}
        if email:
            body["email"] = f"contact.{uuid.uuid4().hex[:10]}@example.com"
        return body

    def issue(self, program="emanifest", identifier=None, email=True):
        identifier = identifier or (self.carrier_code() if program == "emanifest" else self.client_number())
        issued = self.call("POST", "/agency/shared-secrets", self.officer(),
                           self.secret_order(program, identifier, email), expect=201).json()
        return identifier, issued

    @staticmethod
    def owner_contact():
        return {"position_title": "Director of Operations", "address": "100 Wellington St\nOttawa ON  K1A 0A9",
                "phone": "613-555-0142", "email": f"officer.{uuid.uuid4().hex[:8]}@example.com"}

    def activation(self, identifier, secret, program="emanifest"):
        return {"program": program, "business_identifier": identifier, "shared_secret": secret,
                "owner_contact": self.owner_contact()}

    def count_activation(self, user):
        """Counts one activation by `user`; False when the hourly allowance would be at risk."""
        with self.lock:
            if self.activations[user["sub"]] >= ACTIVATIONS_PER_USER:
                return False
            self.activations[user["sub"]] += 1
            return True

    def activator(self, current):
        """`current` if it may still activate, else a new user (who is then counted)."""
        if current is not None and self.count_activation(current):
            return current
        user = self.new_user()
        self.count_activation(user)
        return user

    def business(self, owner, authorized=True):
        return self.business_and_identifier(owner, authorized)[0]

    def business_and_identifier(self, owner, authorized=True):
        """(business id, eManifest identifier): delegations name the other side by identifier."""
        if not self.count_activation(owner):
            raise SetupFailed(f"{owner['sub']} would exceed the hourly activation allowance")
        identifier, issued = self.issue()
        created = self.call("POST", "/businesses", owner["token"],
                            self.activation(identifier, issued["shared_secret"]), expect=201).json()
        business_id = created["business_id"]
        if authorized:
            self.call("POST", f"/businesses/{business_id}/terms", owner["token"],
                      {"version": self.terms["emanifest"]}, expect=200)
        return business_id, identifier

    def add_member(self, owner, business_id, role="user"):
        member = self.new_user()
        self.call("PUT", f"/businesses/{business_id}/members/{member['urn']}", owner["token"],
                  {"role": role, "email": member["email"]}, expect=200)
        return member

    # ---- delegations

    def party(self, _=None):
        """An authorized business with an owner of its own: {"owner", "id", "identifier"}."""
        owner = self.new_user()
        business_id, identifier = self.business_and_identifier(owner)
        return {"owner": owner, "id": business_id, "identifier": identifier}

    @staticmethod
    def delegation_terms(identifier, permissions="view_submit"):
        ends_on = datetime.date.today() + datetime.timedelta(days=180)
        return {"program": "emanifest", "business_identifier": identifier, "permissions": permissions,
                "ends_on": ends_on.isoformat(), "note": "Customs broker for the Windsor crossing"}

    def offer(self, grantor, grantee):
        """A pending offer from `grantor` to `grantee` (parties); its delegation id."""
        return self.call("POST", f"/businesses/{grantor['id']}/delegations", grantor["owner"]["token"],
                         self.delegation_terms(grantee["identifier"]), expect=202).json()["delegation_id"]

    def active_delegation(self, grantor, grantee):
        delegation_id = self.offer(grantor, grantee)
        self.call("POST", f"/businesses/{grantee['id']}/delegations/{delegation_id}/accept",
                  grantee["owner"]["token"], expect=200)
        return delegation_id

    def delegation_agents(self, grantee, delegation_id, count):
        """`count` new members of the grantee, put on the delegation one at a time (each
        change is checked against the delegation's version: concurrent ones would get 409)."""
        members = parallel(count, lambda _: self.add_member(grantee["owner"], grantee["id"], "user"))
        for member in members:
            self.call("PUT", f"/businesses/{grantee['id']}/delegations/{delegation_id}/agents/{member['urn']}",
                      grantee["owner"]["token"], expect=200)
        return members

    # ---- imports (agency)

    def import_rows(self):
        """A step's CSV rows, one per channel: a TTP letter, an eManifest e-mail, a CERS e-mail
        in French (the e-mails are the import's own contacts)."""
        cers_bn = self.bn9()
        rows = [
            ["ttp", self.client_number(), self.bn9(), "Les Transports Boréal inc.", "1 rue Principale\nGatineau QC", "", ""],
            ["emanifest", self.carrier_code(), self.bn9(), "Northern Freight Ltd.", "100 Wellington St, Ottawa ON",
             f"import.{uuid.uuid4().hex[:10]}@example.com", ""],
            ["cers", self.unique(lambda r: f"{cers_bn}RM{r.randint(1, 9999):04d}"), cers_bn, "Exportations Nord ltée",
             "2 rue Sud\nQuébec QC", f"import.{uuid.uuid4().hex[:10]}@example.com", "fr"],
        ]
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue(), len(rows)

    @staticmethod
    def import_start(rows_text, row_count):
        """POST /agency/imports's body for the file of these rows (the file is named by its hash)."""
        text = IMPORT_HEADER + "\n" + rows_text
        return {"file_name": "members.csv", "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "rows": row_count, "header": IMPORT_HEADER}

    def started_import(self, _=None):
        """An import started (by its own officer), and its rows not yet sent: (id, rows text)."""
        rows_text, count = self.import_rows()
        started = self.call("POST", "/agency/imports", self.officer(), self.import_start(rows_text, count), expect=201)
        return started.json()["import_id"], rows_text

    # ---- what only the store or the schedule does (as the end-to-end tests do it)

    def table(self):
        return boto3.resource("dynamodb", endpoint_url=self.stack["dynamodb_url"], region_name=self.stack["region"],
                              aws_access_key_id="test", aws_secret_access_key="test").Table(self.stack["table_name"])

    def retire(self, users):
        """Retires `users` as two years without a request do: their last active day written
        back in the table (the index by day too), then the daily sweep invoked as its schedule
        would (test_dormancy.py does the same)."""
        day = int(time.time()) // 86400 - RETIRE_AFTER_DAYS
        table = self.table()
        for user in users:
            table.update_item(Key={"pk": f"CRED#gckey#{user['sub']}", "sk": "USER"},
                              UpdateExpression="SET active_day = :d, gsi1pk = :pk, gsi1sk = :sk REMOVE warned_day",
                              ExpressionAttributeValues={":d": day, ":pk": f"ACTIVE#{day}",
                                                         ":sk": f"CRED#gckey#{user['sub']}"})
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
                 "account": "123456789012", "time": now, "region": self.stack["region"], "resources": [], "detail": {}}
        url = f"{self.stack['watch_url']}/2015-03-31/functions/retire-dormant-accounts/invocations"
        response = self.session().post(url, json=event, timeout=INVOKE_TIMEOUT)
        if response.status_code != 200 or response.json().get("retired", 0) < len(users):
            raise SetupFailed(f"retire-dormant-accounts -> {response.status_code}: {response.text[:300]}")

    def email_codes(self, addresses):
        """{address: the code of the newest code mail to it}: the stream is settled first, so
        send-notices has sent them (through moto's SES, whose record the tests read too)."""
        self.settle_streams()
        data = self.session().get(self.stack["moto_url"] + "/moto-api/data.json", timeout=REQUEST_TIMEOUT).json()
        codes = {}
        for message in data["ses"]["Message"]:
            found = re.search(r"^    (\d{6})$", message["body"], re.M)
            for address in message["destinations"]["ToAddresses"]:
                if address in addresses and found and "code" in message["subject"].lower():
                    codes[address] = found.group(1)
        missing = set(addresses) - set(codes)
        if missing:
            raise SetupFailed(f"no code mail to {sorted(missing)[:3]}")
        return codes

    # ---- events

    def event(self, method, target, token=None, body=None, headers=()):
        """The payload-2.0 event the stack's gateway would send for this request."""
        path = target.split("?", 1)[0]
        route, params = None, None
        for candidate in self.routes:
            if candidate.method in (method, "ANY"):
                params = candidate.match(path)
                if params is not None:
                    route = candidate
                    break
        if route is None:
            raise SetupFailed(f"no route for {method} {path}")
        header_items = [("host", "127.0.0.1"), ("user-agent", "bench"), ("accept", "application/json")]
        claims = None
        if token:
            header_items.append(("authorization", f"Bearer {token}"))
            claims = jwt.decode(token, options={"verify_signature": False})
        raw = b""
        if body is not None:
            raw = json.dumps(body).encode()
            header_items.append(("content-type", "application/json"))
        header_items.extend(headers)
        now = time.time()
        event = apigw.build_event(route=route, path_params=params, method=method, target=target,
                                  header_items=header_items, body=raw, source_ip="127.0.0.1",
                                  claims=None if route.public else claims,
                                  request_id=str(uuid.uuid4()), now=now)
        return route.binary, event


def parallel(count, make):
    """`count` results of make(i), made SETUP_WORKERS at a time through the stack's API."""
    with ThreadPoolExecutor(SETUP_WORKERS) as pool:
        return list(pool.map(make, range(count)))


def build_scenarios(api, fresh, warm_count):
    """For each function: {"first": [fresh first-request events], "warm": [events to cycle for
    warm invocations], "note": what the events do}. `fresh` events are needed per function."""
    s = {}
    ev = api.event

    def bind(binary_and_event):
        return binary_and_event[1]

    # ---- public routes
    s["health"] = {"first": [bind(ev("GET", "/health"))] * fresh, "note": "GET /health"}
    s["list-programs"] = {"first": [bind(ev("GET", "/programs"))] * fresh, "note": "GET /programs"}

    # ---- user accounts
    def create_event(_):
        return bind(ev("POST", "/users", api.token(f"bench-{uuid.uuid4()}"), api.profile()))
    s["create-user"] = {"first": [create_event(i) for i in range(fresh)],
                        "warm": [create_event(i) for i in range(warm_count)],
                        "note": "POST /users, a new credential each time"}

    reader = api.new_user()
    s["get-me"] = {"first": [bind(ev("GET", "/users/me", reader["token"]))] * fresh, "note": "GET /users/me"}
    editor = api.new_user()
    s["update-me"] = {"first": [bind(ev("PATCH", "/users/me", editor["token"], {"name": "Alexandra Tremblay"}))] * fresh,
                      "note": "PATCH /users/me {name}"}
    mover = api.new_user()
    s["start-credential-transfer"] = {
        "first": [bind(ev("POST", "/users/me/credential-transfers", mover["token"]))] * fresh,
        "note": "POST /users/me/credential-transfers (a new code each time)"}

    def claim_event(_):
        old = api.new_user()
        code = api.call("POST", "/users/me/credential-transfers", old["token"], expect=201).json()["transfer_code"]
        return bind(ev("POST", "/credential-transfers/claim", api.token(f"bench-{uuid.uuid4()}"),
                       {"transfer_code": code}))
    s["claim-credential-transfer"] = {"first": parallel(fresh, claim_event),
                                      "note": "POST /credential-transfers/claim, a fresh code and credential each"}

    # ---- agency: secrets and letters
    officer = api.officer()
    fixed_id = api.carrier_code()
    s["issue-shared-secret"] = {
        "first": [bind(ev("POST", "/agency/shared-secrets", officer, api.secret_order("emanifest", fixed_id)))] * fresh,
        "note": "POST /agency/shared-secrets (emanifest: e-mailed; replaces the unused one)"}
    for _ in range(3):  # a few letters pending
        api.issue("ttp")
    s["list-letters"] = {"first": [bind(ev("GET", "/agency/letters?status=pending", officer))] * fresh,
                         "note": "GET /agency/letters?status=pending"}

    def mailed_event(_):
        _, issued = api.issue("ttp")
        return bind(ev("POST", f"/agency/letters/{issued['letter_id']}/mailed", api.officer()))
    s["mark-letter-mailed"] = {"first": parallel(fresh, mailed_event),
                               "note": "POST /agency/letters/{id}/mailed, a fresh letter each"}

    registrant = api.new_user()
    s["register-business"] = {
        "first": [bind(ev("POST", "/registrations", registrant["token"],
                          {"program": "ttp", "business_number": api.bn9(), "legal_name": "Les Transports Boréal inc.",
                           "mailing_address": "1 rue Principale\nGatineau QC  J8X 1A1"})) for _ in range(fresh)],
        "note": "POST /registrations, a new Business Number each"}

    # ---- agency: the business register, letters in review, the agency audit
    def review_letters(count):
        """`count` registration letters in review (Business Numbers the register does not know)."""
        applicant = api.new_user()

        def register(_):
            bn = api.bn9()
            api.call("POST", "/registrations", applicant["token"],
                     {"program": "ttp", "business_number": bn, "legal_name": "Review Freight Ltd.",
                      "mailing_address": "1 Main St\nOttawa ON"}, expect=202)
            return bn
        numbers = set(parallel(count, register))
        ids, cursor, reader = [], None, api.officer()
        while True:
            query = "?status=review" + (f"&cursor={cursor}" if cursor else "")
            page = api.call("GET", f"/agency/letters{query}", reader, expect=200).json()
            ids += [l["letter_id"] for l in page["letters"] if l["business_number"] in numbers]
            cursor = page["next_cursor"]
            if not cursor:
                return ids

    s["approve-letter"] = {
        "first": [bind(ev("POST", f"/agency/letters/{i}/approve", officer, {})) for i in review_letters(fresh)],
        "note": "POST /agency/letters/{id}/approve, a fresh letter in review each"}
    s["reject-letter"] = {
        "first": [bind(ev("POST", f"/agency/letters/{i}/reject", officer, {"reason": "Not at this address."}))
                  for i in review_letters(fresh)],
        "note": "POST /agency/letters/{id}/reject, a fresh letter in review each"}
    s["put-business-register"] = {
        "first": [bind(ev("PUT", f"/agency/business-register/{api.bn9()}", officer,
                          {"legal_name": "Northern Freight Ltd.", "mailing_address": "100 Wellington St\nOttawa ON"}))
                  for _ in range(fresh)],
        "note": "PUT /agency/business-register/{bn}, a new Business Number each"}
    s["get-agency-audit"] = {"first": [bind(ev("GET", "/agency/audit", officer))] * fresh,
                             "note": "GET /agency/audit (the first page)"}

    requester = api.new_user()
    known_id, _ = api.issue("emanifest")
    s["request-activation-code"] = {
        "first": [bind(ev("POST", "/activation-code-requests", requester["token"],
                          {"program": "emanifest", "business_identifier": known_id}))] * fresh,
        "note": "POST /activation-code-requests for a known identifier (a new code e-mailed each time)"}

    # ---- businesses
    def activate_event(_):
        # A user of its own each: the memory run repeats its event a thousand times, which
        # uses up that credential's hourly allowance.
        identifier, issued = api.issue()
        user = api.activator(None)
        return bind(ev("POST", "/businesses", user["token"], api.activation(identifier, issued["shared_secret"])))
    s["activate-business"] = {"first": parallel(fresh, activate_event),
                              "note": "POST /businesses with a freshly issued secret and a new user each"}

    owner = api.new_user()
    b0 = api.business(owner)
    api.add_member(owner, b0, "user")
    s["get-business"] = {"first": [bind(ev("GET", f"/businesses/{b0}", owner["token"]))] * fresh,
                         "note": "GET /businesses/{id} (owner)"}
    s["update-business"] = {
        "first": [bind(ev("PATCH", f"/businesses/{b0}", owner["token"], {"mailing_address": "200 Main St\nOttawa ON"}))] * fresh,
        "note": "PATCH /businesses/{id} {mailing_address} (authorized)"}
    s["put-information-sharing"] = {
        "first": [bind(ev("PUT", f"/businesses/{b0}/information-sharing", owner["token"],
                          {"consent": True, "signatory_name": "Alex Tremblay", "signatory_title": "Director"}))] * fresh,
        "note": "PUT /businesses/{id}/information-sharing"}
    s["get-audit"] = {"first": [bind(ev("GET", f"/businesses/{b0}/audit", owner["token"]))] * fresh,
                      "note": "GET /businesses/{id}/audit (first page)"}
    s["list-members"] = {"first": [bind(ev("GET", f"/businesses/{b0}/members", owner["token"]))] * fresh,
                         "note": "GET /businesses/{id}/members (2 members)"}
    s["list-my-businesses"] = {"first": [bind(ev("GET", "/users/me/businesses", owner["token"]))] * fresh,
                               "note": "GET /users/me/businesses (1 business)"}

    def close_event(_):
        closer = api.new_user()
        return bind(ev("DELETE", f"/businesses/{api.business(closer, authorized=False)}", closer["token"]))
    s["close-business"] = {"first": parallel(fresh, close_event), "note": "DELETE /businesses/{id}, a fresh business each"}

    def terms_event(_):
        acceptor = api.new_user()
        business_id = api.business(acceptor, authorized=False)
        return bind(ev("POST", f"/businesses/{business_id}/terms", acceptor["token"], {"version": api.terms["emanifest"]}))
    s["accept-terms"] = {"first": parallel(fresh, terms_event),
                         "note": "POST /businesses/{id}/terms on a fresh activated business each"}

    team_owner = api.new_user()
    b1 = api.business(team_owner)

    def grant_event(_):
        member = api.new_user()
        return bind(ev("PUT", f"/businesses/{b1}/members/{member['urn']}", team_owner["token"],
                       {"role": "user", "email": member["email"]}))
    toggled = api.add_member(team_owner, b1, "user")
    roles = ["browser", "user"]
    s["put-member"] = {
        "first": parallel(fresh, grant_event),
        "warm": [bind(ev("PUT", f"/businesses/{b1}/members/{toggled['urn']}", team_owner["token"], {"role": roles[i % 2]}))
                 for i in range(2)],
        "note": "PUT /businesses/{id}/members/{urn}: grants a new member each (warm: role changes)"}

    def remove_event(_):
        member = api.add_member(team_owner, b1, "browser")
        return bind(ev("DELETE", f"/businesses/{b1}/members/{member['urn']}", team_owner["token"]))
    s["remove-member"] = {"first": parallel(fresh, remove_event), "note": "DELETE /businesses/{id}/members/{urn}, a fresh member each"}

    def with_member(_):
        transfer_owner = api.new_user()
        business_id = api.business(transfer_owner)
        return business_id, transfer_owner, api.add_member(transfer_owner, business_id, "proxy")

    def request_transfer_event(i):
        business_id, transfer_owner, member = with_member(i)
        return bind(ev("POST", f"/businesses/{business_id}/ownership-transfer", transfer_owner["token"],
                       {"to_urn": member["urn"]}))
    s["request-ownership-transfer"] = {"first": parallel(fresh, request_transfer_event),
                                       "note": "POST /businesses/{id}/ownership-transfer, a fresh business each"}

    def pending_transfer(i):
        business_id, transfer_owner, member = with_member(i)
        api.call("POST", f"/businesses/{business_id}/ownership-transfer", transfer_owner["token"],
                 {"to_urn": member["urn"]}, expect=201)
        return business_id, transfer_owner, member

    def accept_event(i):
        business_id, _, member = pending_transfer(i)
        return bind(ev("POST", f"/businesses/{business_id}/ownership-transfer/accept", member["token"]))
    s["accept-ownership-transfer"] = {"first": parallel(fresh, accept_event),
                                      "note": "POST /businesses/{id}/ownership-transfer/accept, a fresh pending transfer each"}

    def cancel_event(i):
        business_id, transfer_owner, _ = pending_transfer(i)
        return bind(ev("DELETE", f"/businesses/{business_id}/ownership-transfer", transfer_owner["token"]))
    s["cancel-ownership-transfer"] = {"first": parallel(fresh, cancel_event),
                                      "note": "DELETE /businesses/{id}/ownership-transfer, a fresh pending transfer each"}

    # ---- user accounts: a new e-mail address confirmed with its code
    def email_change(_):
        changer = api.new_user()
        address = f"new.{uuid.uuid4().hex[:10]}@example.com"
        api.call("PATCH", "/users/me", changer["token"], {"email": address}, expect=200)
        return changer, address
    changes = parallel(fresh, email_change)
    codes = api.email_codes({address for _, address in changes})
    s["confirm-email"] = {
        "first": [bind(ev("POST", "/users/me/email-confirmation", changer["token"], {"code": codes[address]}))
                  for changer, address in changes],
        "note": "POST /users/me/email-confirmation {code}, a fresh pending address each"}

    # ---- agency: the support desk, dormant accounts
    desk_owner = api.new_user()
    desk_business, desk_identifier = api.business_and_identifier(desk_owner)
    api.add_member(desk_owner, desk_business, "proxy")
    s["find-agency-business"] = {
        "first": [bind(ev("GET", f"/agency/businesses?program=emanifest&identifier={desk_identifier}", officer))] * fresh,
        "note": "GET /agency/businesses?program&identifier (an authorized business, 2 members)"}
    s["get-agency-user"] = {"first": [bind(ev("GET", f"/agency/users/{desk_owner['urn']}", officer))] * fresh,
                            "note": "GET /agency/users/{urn} (the owner of 1 business)"}
    dormant = parallel(fresh, lambda _: api.new_user())
    api.retire(dormant)
    s["reinstate-user"] = {
        "first": [bind(ev("POST", f"/agency/users/{user['urn']}/reinstate", officer)) for user in dormant],
        "note": "POST /agency/users/{urn}/reinstate, a fresh retired account each"}

    # ---- agency: batch imports
    def start_import_event(_):
        return bind(ev("POST", "/agency/imports", officer, api.import_start(*api.import_rows())))
    s["start-import"] = {"first": [start_import_event(i) for i in range(fresh)],
                         "note": "POST /agency/imports, a new file (3 rows) each"}

    def rows_event(i):
        import_id, rows_text = api.started_import(i)
        return bind(ev("POST", f"/agency/imports/{import_id}/rows", officer, {"first_line": 2, "csv": rows_text}))
    s["import-rows"] = {"first": parallel(fresh, rows_event),
                        "note": "POST /agency/imports/{id}/rows: a fresh import's 3 rows (a letter, 2 e-mails)"}
    report_id, report_rows = api.started_import()
    api.call("POST", f"/agency/imports/{report_id}/rows", officer, {"first_line": 2, "csv": report_rows}, expect=200)
    s["get-import"] = {"first": [bind(ev("GET", f"/agency/imports/{report_id}", officer))] * fresh,
                       "note": "GET /agency/imports/{id} (the report of 3 issued rows)"}

    # ---- delegations between businesses (each pair: an authorized grantor and grantee)
    grantor, grantee = parallel(2, api.party)
    s["grant-delegation"] = {
        "first": [bind(ev("POST", f"/businesses/{grantor['id']}/delegations", grantor["owner"]["token"],
                          api.delegation_terms(grantee["identifier"])))] * fresh,
        "note": "POST /businesses/{id}/delegations: an offer to a business with an account (a new one each time)"}
    s["request-delegation"] = {
        "first": [bind(ev("POST", f"/businesses/{grantee['id']}/delegation-requests", grantee["owner"]["token"],
                          api.delegation_terms(grantor["identifier"], "view")))] * fresh,
        "note": "POST /businesses/{id}/delegation-requests to a business with an account (a new one each time)"}

    def accept_delegation_event(_):
        return bind(ev("POST", f"/businesses/{grantee['id']}/delegations/{api.offer(grantor, grantee)}/accept",
                       grantee["owner"]["token"]))
    s["accept-delegation"] = {"first": parallel(fresh, accept_delegation_event),
                              "note": "POST /businesses/{id}/delegations/{id}/accept, a fresh offer each (grantee's owner)"}

    def end_delegation_event(_):
        return bind(ev("DELETE", f"/businesses/{grantor['id']}/delegations/{api.active_delegation(grantor, grantee)}",
                       grantor["owner"]["token"]))
    s["end-delegation"] = {"first": parallel(fresh, end_delegation_event),
                           "note": "DELETE /businesses/{id}/delegations/{id}, a fresh active delegation each (grantor's owner)"}

    giver, taker = parallel(2, api.party)
    held = api.active_delegation(giver, taker)
    api.offer(giver, taker)
    api.call("POST", f"/businesses/{taker['id']}/delegation-requests", taker["owner"]["token"],
             api.delegation_terms(giver["identifier"], "view"), expect=202)
    s["list-delegations"] = {
        "first": [bind(ev("GET", f"/businesses/{giver['id']}/delegations", giver["owner"]["token"]))] * fresh,
        "note": "GET /businesses/{id}/delegations (3: active, offered, requested)"}
    s["get-delegation-proof"] = {
        "first": [bind(ev("GET", f"/businesses/{taker['id']}/delegations/{held}/proof", taker["owner"]["token"]))] * fresh,
        "note": "GET /businesses/{id}/delegations/{id}/proof (grantee's owner, active)"}
    proof = api.call("GET", f"/businesses/{taker['id']}/delegations/{held}/proof", taker["owner"]["token"],
                     expect=200).json()["proof"]
    s["check-delegation-proof"] = {"first": [bind(ev("POST", "/delegation-proofs/check", body={"proof": proof}))] * fresh,
                                   "note": "POST /delegation-proofs/check (a proof of an active delegation)"}
    s["delegation-proof-keys"] = {"first": [bind(ev("GET", "/.well-known/delegation-keys"))] * fresh,
                                  "note": "GET /.well-known/delegation-keys"}

    def assign_event(_):
        member = api.add_member(taker["owner"], taker["id"], "user")
        return bind(ev("PUT", f"/businesses/{taker['id']}/delegations/{held}/agents/{member['urn']}",
                       taker["owner"]["token"], {"permissions": "view"}))
    chosen, *agents = api.delegation_agents(taker, held, 1 + fresh)
    scopes = ["view", "view_submit"]
    s["assign-delegation-agent"] = {
        "first": parallel(fresh, assign_event),
        "warm": [bind(ev("PUT", f"/businesses/{taker['id']}/delegations/{held}/agents/{chosen['urn']}",
                         taker["owner"]["token"], {"permissions": scopes[i % 2]})) for i in range(2)],
        "note": "PUT /businesses/{id}/delegations/{id}/agents/{urn}: a new member of the grantee each "
                "(warm: permissions changes)"}

    s["remove-delegation-agent"] = {
        "first": [bind(ev("DELETE", f"/businesses/{taker['id']}/delegations/{held}/agents/{agent['urn']}",
                          taker["owner"]["token"])) for agent in agents],
                                    "note": "DELETE /businesses/{id}/delegations/{id}/agents/{urn}, a fresh agent each"}

    # Baselines: hello answers anything; typical reads the caller's user item (found).
    s["@hello"] = {"first": [bind(ev("GET", "/health"))] * fresh, "note": "hello world"}
    s["@typical"] = {"first": [bind(ev("GET", "/users/me", reader["token"]))] * fresh,
                     "note": "typical: one GetItem (the caller's user item)"}
    return s


def load_plan(api, workers, warmup, measured):
    """Per route, per worker, the requests of the load test: {"route": (method, paths...)}.
    Returns {name: {"binary", "serves", "warmup": [[req...] per worker], "measured": [[req...] per
    worker]}} where req = (method, path, token, body) and "serves" is the function whose route
    the binary answers (itself, except for the baselines)."""
    total = warmup + measured
    per_worker = [total // workers + (1 if w < total % workers else 0) for w in range(workers)]

    def split(requests_for_worker):
        out_warm, out_meas = [], []
        budget_warm = [warmup // workers + (1 if w < warmup % workers else 0) for w in range(workers)]
        for w, reqs in enumerate(requests_for_worker):
            out_warm.append(reqs[:budget_warm[w]])
            out_meas.append(reqs[budget_warm[w]:])
        return out_warm, out_meas

    plans = {}
    users = parallel(workers, lambda _: api.new_user())
    plans["GET /users/me"] = ("get-me", [[("GET", "/users/me", users[w]["token"], None)] * per_worker[w]
                                         for w in range(workers)])
    # The floors under the same load: the same requests answered by the two baselines (hello
    # world: the Runtime API's round trips only; typical: one GetItem, no token check).
    for baseline in ("@hello", "@typical"):
        plans[f"GET /users/me → {baseline}"] = (baseline, plans["GET /users/me"][1], "get-me")

    def owner_of_two(_):
        user = api.new_user()
        api.business(user)
        api.business(user, authorized=False)
        return user
    owners = parallel(workers, owner_of_two)
    plans["GET /users/me/businesses"] = ("list-my-businesses",
                                         [[("GET", "/users/me/businesses", owners[w]["token"], None)] * per_worker[w]
                                          for w in range(workers)])

    issued = parallel(total, lambda _: api.issue())
    users_needed = sum((n + ACTIVATIONS_PER_USER - 1) // ACTIVATIONS_PER_USER for n in per_worker)
    activators = parallel(users_needed, lambda _: api.new_user())
    reqs, k, u = [], 0, 0
    for w in range(workers):
        mine = []
        for i in range(per_worker[w]):
            if i % ACTIVATIONS_PER_USER == 0:
                user = activators[u]
                u += 1
            identifier, secret = issued[k]
            k += 1
            mine.append(("POST", "/businesses", user["token"], api.activation(identifier, secret["shared_secret"])))
        reqs.append(mine)
    plans["POST /businesses"] = ("activate-business", reqs)

    def team(_):
        owner = api.new_user()
        business_id = api.business(owner)
        member = api.add_member(owner, business_id, "user")
        return owner, business_id, member
    teams = parallel(workers, team)
    roles = ["browser", "user"]
    plans["PUT /businesses/{id}/members/{urn}"] = (
        "put-member",
        [[("PUT", f"/businesses/{teams[w][1]}/members/{teams[w][2]['urn']}", teams[w][0]["token"], {"role": roles[i % 2]})
          for i in range(per_worker[w])] for w in range(workers)])

    return {name: {"binary": binary, "serves": serves[0] if serves else binary,
                   **dict(zip(("warmup", "measured"), split(reqs)))}
            for name, (binary, reqs, *serves) in plans.items()}


# ---------------------------------------------------------------- the mixed load

# The peak hour's mix (SCALE.md, "The load"): 80 % reads, 20 % writes, of which the ones that
# send mail (new accounts, activations) are ~8 %. Weights out of 100.
MIX = [
    ("GET /users/me", "get-me", 30),
    ("GET /users/me/businesses", "list-my-businesses", 20),
    ("GET /businesses/{id}", "get-business", 20),
    ("GET /businesses/{id}/members", "list-members", 10),
    ("PUT /businesses/{id}/members/{urn}", "put-member", 6),
    ("PATCH /users/me", "update-me", 6),
    ("POST /businesses", "activate-business", 4),
    ("POST /users", "create-user", 4),
]
# The status each route answers when all goes well; anything else is counted as an error.
MIX_EXPECTED = {"POST /businesses": "201", "POST /users": "201"}
# Businesses (owner + one member each) the mix's people belong to, per worker: each worker
# changes only its own teams, so no two concurrent requests race for one item (which would be
# a correct 409, not a load effect).
MIX_TEAMS_PER_WORKER = 2


def mix_plan(api, workers, total, seed=20261126):
    """The mixed load: `total` requests over `workers` keep-alive connections, each worker's
    list drawn from MIX in a seeded random order. Returns {"functions": [binary...],
    "workers": [[(method, path, token, body, label)...]...]}."""
    rng = random.Random(seed)
    per_worker = [total // workers + (1 if w < total % workers else 0) for w in range(workers)]

    def team(_):
        owner = api.new_user()
        business_id = api.business(owner)
        member = api.add_member(owner, business_id, "user")
        return {"owner": owner, "business_id": business_id, "member": member, "role": "user", "phone": 0}
    teams = parallel(workers * MIX_TEAMS_PER_WORKER, team)
    labels = [label for label, _, weight in MIX for _ in range(weight)]
    drawn = [[rng.choice(labels) for _ in range(n)] for n in per_worker]
    activations = sum(d.count("POST /businesses") for d in drawn)
    issued = parallel(activations, lambda _: api.issue())
    activator, k = None, 0
    out = []
    for w, labels_w in enumerate(drawn):
        mine = teams[w * MIX_TEAMS_PER_WORKER:(w + 1) * MIX_TEAMS_PER_WORKER]
        reqs = []
        for label in labels_w:
            t = rng.choice(mine)
            person = rng.choice([t["owner"], t["member"]])
            b = t["business_id"]
            if label == "GET /users/me":
                req = ("GET", "/users/me", person["token"], None)
            elif label == "GET /users/me/businesses":
                req = ("GET", "/users/me/businesses", person["token"], None)
            elif label == "GET /businesses/{id}":
                req = ("GET", f"/businesses/{b}", person["token"], None)
            elif label == "GET /businesses/{id}/members":
                req = ("GET", f"/businesses/{b}/members", t["owner"]["token"], None)
            elif label == "PUT /businesses/{id}/members/{urn}":
                t["role"] = "browser" if t["role"] == "user" else "user"  # a real change each time
                req = ("PUT", f"/businesses/{b}/members/{t['member']['urn']}", t["owner"]["token"], {"role": t["role"]})
            elif label == "PATCH /users/me":
                t["phone"] += 1
                req = ("PATCH", "/users/me", t["owner"]["token"], {"phone": f"+1 613 555 {1000 + t['phone'] % 9000:04d}"})
            elif label == "POST /businesses":
                activator = api.activator(activator)
                identifier, secret = issued[k]
                k += 1
                req = ("POST", "/businesses", activator["token"], api.activation(identifier, secret["shared_secret"]))
            else:  # POST /users: a new credential each time
                req = ("POST", "/users", api.token(f"bench-mix-{uuid.uuid4()}"), api.profile())
            reqs.append((*req, label))
        out.append(reqs)
    return {"functions": sorted({binary for _, binary, _ in MIX}), "workers": out}
