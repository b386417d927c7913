"""The OpenAPI document (infra/openapi.yaml) against itself, the template and the functions.

- The document is valid OpenAPI 3.1 (openapi-spec-validator).
- It has exactly the template's routes: same methods and paths, public exactly where the
  template has no authorizer.
- Contract fuzzing (schemathesis): every operation gets a bounded, reproducible set of
  generated requests against the local stack; every response must be no server error, have a
  documented status code and content type, and a body that matches the documented schema.
  Response objects are checked closed (a field the document does not name is a failure), so
  the document keeps up with the Rust views field by field.

Most generated requests are refused (401/403/404/409/422): that is expected. To get past the
404s, a share of the generated cases is steered (deterministically, from the generated values)
at real things made first: a business account the caller owns, one where the caller is a plain
user, a member to act on, a pending letter, shared secrets and a transfer code.

    .venv/bin/python -m pytest local-tests/test_contract.py
"""

import copy
import random
import string
import uuid
import zlib
from pathlib import Path

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate as validate_openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cfn_template import http_api_routes, load_template
from test_users import damm_digit

OPENAPI_PATH = Path(__file__).resolve().parent.parent / "infra" / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Bounded and reproducible: for each of the 30 operations, its examples, the boundary cases
# of the coverage phase, then 25 generated cases; no shrinking, derandomized.
MAX_EXAMPLES = 25
REQUEST_TIMEOUT = 180  # a function changed since the last build is rebuilt on its first call
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

PORTAL_TERMS = "2026-01"
EMANIFEST_TERMS = "emanifest-2025-09"
OFFICER_ROLES = ["agency-officer"]


def load_document():
    with open(OPENAPI_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


def operations(document):
    """(METHOD, path, operation) for every operation of the document."""
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method]


# ---------------------------------------------------------------- the document itself


def test_document_is_valid_openapi_3_1():
    document = load_document()
    assert document["openapi"] == "3.1.0"
    validate_openapi(document)  # raises with the offending path when it is not


def test_document_has_exactly_the_template_routes():
    template_routes = {(r.method, r.path): r for r in http_api_routes(load_template())}
    documented = {(m, p): op for m, p, op in operations(load_document())}
    missing = sorted(set(template_routes) - set(documented))
    extra = sorted(set(documented) - set(template_routes))
    assert not missing, f"routes of infra/template.yaml missing from infra/openapi.yaml: {missing}"
    assert not extra, f"operations of infra/openapi.yaml that the template does not route: {extra}"

    document = load_document()
    for key, route in template_routes.items():
        security = documented[key].get("security", document["security"])
        if route.public:
            assert security == [], f"{key}: public in the template, secured in the document"
        else:
            assert security == [{"credentialJwt": []}], f"{key}: needs the bearer JWT"
    operation_ids = [op["operationId"] for op in documented.values()]
    assert len(set(operation_ids)) == len(operation_ids), "operationIds must be unique"


def test_every_operation_documents_the_errors_its_edge_can_give():
    """What every function's edge can answer, whatever the use case: 401 and 503 behind the
    authorizer; 400, 413 and 422 wherever a body is read."""
    for method, path, op in operations(load_document()):
        responses = set(op["responses"])
        if op.get("security", [{}]) != []:
            assert {"401", "503"} <= responses, f"{method} {path}"
        if "requestBody" in op:
            assert {"400", "413", "422"} <= responses, f"{method} {path}"


# ---------------------------------------------------------------- contract fuzzing


def closed_responses(document):
    """A copy of the document whose response objects allow no undocumented field.

    The document itself leaves them open (the contract lets payloads grow), but the fuzzing
    holds the functions to it: a field a view has and the document lacks fails the run.
    """
    document = copy.deepcopy(document)
    schemas = document["components"]["schemas"]
    seen = set()

    def close(node):
        if isinstance(node, list):
            for item in node:
                close(item)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                close(schemas[name])
        if node.get("type") == "object" and "properties" in node:
            if "additionalProperties" not in node and "unevaluatedProperties" not in node:
                node["unevaluatedProperties"] = False
        for key, value in node.items():
            if key not in ("if", "not"):  # partial schemas: closing them changes their meaning
                close(value)

    responses = [r for _, _, op in operations(document) for r in op["responses"].values()]
    responses += document["components"]["responses"].values()
    for response in responses:
        for media in response.get("content", {}).values():
            close(media.get("schema"))
    return document


CONFIG = schemathesis.Config.from_dict({
    "generation": {
        "mode": "all",  # valid requests, and requests that break the schema on purpose
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "no-shrink": True,
        "with-security-parameters": False,  # the test sends real tokens
    },
    "phases": {
        "examples": {"enabled": True},
        # Boundary values of every parameter and field. No probes with unexpected methods: the
        # local gateway answers TRACE itself (501), which says nothing about the functions.
        "coverage": {"enabled": True, "unexpected-methods": []},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": False},
    },
    "request-timeout": REQUEST_TIMEOUT,
})
schema = schemathesis.openapi.from_dict(closed_responses(load_document()), config=CONFIG)


def new_carrier_code():
    return "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(4))


def new_client_number():
    body = "".join(random.choice(string.digits) for _ in range(7))
    return f"P{body}{damm_digit(body)}"


def expect(response, status):
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json() if response.content else None


class World:
    """What the fuzzing acts on, made through the API before it starts."""

    def __init__(self, stack):
        self.stack = stack
        self.emails = {}
        self.officer = stack.token(f"contract-officer-{uuid.uuid4()}", roles=OFFICER_ROLES)
        self.caller, self.caller_urn = self.user("contract-fuzzer")
        self.owned = self.business(self.caller)  # the caller owns it: authorized
        other_owner, _ = self.user("contract-other-owner")
        self.joined = self.business(other_owner)  # the caller is a plain user there, named heir
        expect(stack.call("PUT", f"/businesses/{self.joined}/members/{self.caller_urn}", token=other_owner,
                          json={"role": "user", "email": self.emails[self.caller_urn]}), 200)
        # Pending until the caller accepts it (POST /businesses/{id}/ownership-transfer/accept).
        expect(stack.call("POST", f"/businesses/{self.joined}/ownership-transfer", token=other_owner,
                          json={"to_urn": self.caller_urn}), 201)
        _, self.member_urn = self.user("contract-member")  # to change the role of, and name as heir
        _, self.removable_urn = self.user("contract-removable")  # to remove
        for urn in (self.member_urn, self.removable_urn):
            expect(stack.call("PUT", f"/businesses/{self.owned}/members/{urn}", token=self.caller,
                              json={"role": "proxy", "email": self.emails[urn]}), 200)
        issued = self.issue("ttp", new_client_number())
        self.letter_id = issued["letter_id"]
        self.secrets = [self.issue("emanifest", code) for code in self.carrier_codes(3)]
        mover, _ = self.user("contract-mover")
        self.transfer_code = expect(stack.call("POST", "/users/me/credential-transfers", token=mover), 201)["transfer_code"]

    def user(self, prefix):
        token = self.stack.token(f"{prefix}-{uuid.uuid4()}")
        body = {"name": "Contract Tester", "email": f"{prefix}.{uuid.uuid4().hex[:8]}@example.com",
                "phone": "+1 613 555 0100", "language": "en", "terms_version": PORTAL_TERMS}
        urn = expect(self.stack.call("POST", "/users", token=token, json=body), 201)["urn"]
        self.emails[urn] = body["email"]  # adding them to a business needs it
        return token, urn

    def carrier_codes(self, n):
        return [new_carrier_code() for _ in range(n)]

    def issue(self, program, identifier):
        body = {"program": program, "business_identifier": identifier, "legal_name": f"Contract {identifier} Ltd.",
                "mailing_address": "100 Wellington St\nOttawa ON  K1A 0A9", "email": "contract@example.com"}
        issued = expect(self.stack.call("POST", "/agency/shared-secrets", token=self.officer, json=body), 201)
        return {"program": program, "business_identifier": identifier, **issued}

    def business(self, owner):
        secret = self.issue("emanifest", new_carrier_code())
        business_id = expect(self.stack.call("POST", "/businesses", token=owner, json={
            "program": "emanifest", "business_identifier": secret["business_identifier"],
            "shared_secret": secret["shared_secret"], "owner_contact": {
                "position_title": "Director", "address": "1 Main St\nOttawa ON", "phone": "613-555-0142",
                "email": "owner@example.com"}}), 201)["business_id"]
        expect(self.stack.call("POST", f"/businesses/{business_id}/terms", token=owner,
                               json={"version": EMANIFEST_TERMS}), 200)
        return business_id


@pytest.fixture(scope="session")
def world(stack):
    return World(stack)


def steer(case, world):
    """Points a share of the generated cases at real things, so the fuzzing gets past 404s.
    Which ones is decided from the generated values, so a run repeats exactly."""
    op = case.operation
    key = f"{op.method.upper()} {op.path}"
    body = case.body if isinstance(case.body, dict) else None
    roll = zlib.crc32(repr((key, case.path_parameters, body)).encode())

    token = world.officer if op.path.startswith("/agency/") else world.caller
    if key in ("POST /users", "POST /credential-transfers/claim") and roll % 2:
        token = world.stack.token(f"contract-newcomer-{uuid.uuid4()}")  # a credential with no account
    if roll % 19 == 0:
        token = None  # refused by the gateway's authorizer: {"message": "Unauthorized"}
    elif roll % 19 == 1:
        token = world.stack.token(f"contract-stranger-{uuid.uuid4()}", idp="unknown-idp")  # refused by the function
    if case.path_parameters and "id" in case.path_parameters:
        # Never close the business everything else acts on.
        choices = [None, world.joined] if key == "DELETE /businesses/{id}" else [None, world.owned, world.owned, world.joined]
        chosen = choices[roll % len(choices)]
        if chosen:
            case.path_parameters["id"] = chosen
    if case.path_parameters and "urn" in case.path_parameters and roll // 7 % 2:
        case.path_parameters["urn"] = world.removable_urn if op.method.upper() == "DELETE" else world.member_urn
    if case.path_parameters and "letter_id" in case.path_parameters and roll % 2:
        case.path_parameters["letter_id"] = world.letter_id
    if body is not None and roll // 11 % 2:
        if key == "POST /users":
            body["terms_version"] = PORTAL_TERMS
        elif key == "POST /businesses/{id}/terms":
            body["version"] = EMANIFEST_TERMS
        elif key == "POST /businesses/{id}/ownership-transfer":
            body["to_urn"] = world.member_urn
        elif key == "POST /credential-transfers/claim":
            body["transfer_code"] = world.transfer_code
        elif key == "POST /businesses" and world.secrets:
            secret = world.secrets.pop()
            body.update(program=secret["program"], business_identifier=secret["business_identifier"],
                        shared_secret=secret["shared_secret"])
    return token


def gateway_timed_out(response):
    """The local gateway's own 503: the function did not answer within its invoke timeout
    (cargo lambda watch rebuilds a function whose source changed on its next call)."""
    return response.status_code == 503 and response.headers.get("content-type") == ["application/json"]


@schema.parametrize()
@settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_contract_fuzzing(case, stack, world):
    token = steer(case, world)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = case.call(base_url=stack.api, session=stack.http, headers=headers)
    if gateway_timed_out(response):  # once: a rebuild says nothing about the contract
        response = case.call(base_url=stack.api, session=stack.http, headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers, transport_kwargs={"base_url": stack.api})


# ---------------------------------------------------------------- server bugs found, now fixed
# Requests the functions once answered with a server error (5xx), found while writing these
# tests; kept as regression cases with the answer each must get.

MULTIBYTE_BN = "12345678\u00e912345"  # 15 bytes, the 'é' across byte 9: `&text[..9]` panics
FIXED_BUGS = {
    "cers identifier sliced inside a character (shared secret)": (
        "officer", "POST", "/agency/shared-secrets",
        {"program": "cers", "business_identifier": MULTIBYTE_BN, "legal_name": "X Ltd.",
         "mailing_address": "1 Main St", "email": "x@example.com"}, 422),
    "cers identifier sliced inside a character (new code)": (
        "caller", "POST", "/activation-code-requests", {"program": "cers", "business_identifier": MULTIBYTE_BN}, 422),
    "cers identifier sliced inside a character (activation)": (
        "caller", "POST", "/businesses",
        {"program": "cers", "business_identifier": MULTIBYTE_BN, "shared_secret": "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01",
         "owner_contact": {"position_title": "Director", "address": "1 Main St", "phone": "613-555-0142",
                           "email": "x@example.com"}}, 422),
    "business number sliced inside a character (registration)": (
        "caller", "POST", "/registrations",
        {"program": "ttp", "business_number": MULTIBYTE_BN, "legal_name": "X Ltd.", "mailing_address": "1 Main St"}, 422),
    "empty audit cursor becomes an empty key": ("caller", "GET", "/businesses/{owned}/audit?cursor=", None, 422),
    "over-long letter id becomes a refused key, answered 503": (
        "officer", "POST", "/agency/letters/" + "a" * 2100 + "/mailed", None, 404),
}


@pytest.mark.parametrize("name", list(FIXED_BUGS))
def test_fixed_server_bug(name, stack, world):
    who, method, path, body, should = FIXED_BUGS[name]
    response = stack.call(method, path.format(owned=world.owned), token=getattr(world, who), json=body)
    assert response.status_code == should, (
        f"{method} {path[:80]} -> {response.status_code} {response.text[:200]} (should be {should})")
