"""Business accounts end to end: shared secrets, letters, activation, terms, and the rules
around them, for each program, checking DynamoDB and the sent mail after each step."""

import concurrent.futures
import json
import random
import re
import string
import uuid

import pytest

from test_users import TERMS, assert_problem, create, mail_to, new_sub, table_snapshot

PROGRAM_TERMS = {"ttp": "ttp-2026-01", "emanifest": "emanifest-2025-09", "cers": "cers-2026-02"}
SECRET_RE = re.compile(r"\b([0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){5})\b")


def luhn_check_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return str((10 - total % 10) % 10)


def new_bn9():
    body = "".join(random.choice(string.digits) for _ in range(8))
    return body + luhn_check_digit(body)


def new_identifier(program):
    if program == "emanifest":
        return "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(4))
    if program == "cers":
        return f"{new_bn9()}RM{random.randint(1, 9999):04d}"
    raise ValueError(program)


def officer(stack):
    return stack.token(f"officer-{uuid.uuid4()}", roles=["agency-officer"])


def issue(stack, program, identifier, email=None, **extra):
    body = {
        "program": program,
        "business_identifier": identifier,
        "legal_name": f"Northern Freight {identifier} Ltd.",
        "mailing_address": "100 Wellington St\nOttawa ON  K1A 0A9",
        "email": email or f"contact.{uuid.uuid4().hex[:8]}@example.com",
    }
    body.update(extra)
    return stack.call("POST", "/agency/shared-secrets", token=officer(stack), json=body), body


def new_user(stack, language="en"):
    sub = new_sub()
    response, body = create(stack, sub, language=language)
    assert response.status_code == 201
    return stack.token(sub), response.json(), body


def contact():
    return {
        "position_title": "Director of Operations",
        "address": "100 Wellington St\nOttawa ON  K1A 0A9",
        "phone": "613-555-0142",
        "email": f"officer.{uuid.uuid4().hex[:8]}@example.com",
    }


def activate(stack, token, program, identifier, secret):
    return stack.call("POST", "/businesses", token=token, json={
        "program": program, "business_identifier": identifier, "shared_secret": secret, "owner_contact": contact(),
    })


def ident_item(stack, program, identifier):
    return stack.table.get_item(Key={"pk": f"IDENT#{program}#{identifier}", "sk": "SECRET"}, ConsistentRead=True).get("Item")


def emailed_secret(stack, address):
    [mail] = mail_to(stack, address)
    return SECRET_RE.search(mail["body"]).group(1), mail


def authorize(stack, token, business_id, program):
    response = stack.call("POST", f"/businesses/{business_id}/terms", token=token, json={"version": PROGRAM_TERMS[program]})
    assert response.status_code == 200, response.text
    return response


def activated_business(stack, program="emanifest"):
    """A fresh business account and its owner's token."""
    identifier = new_identifier(program)
    issued, _ = issue(stack, program, identifier)
    token, user, _ = new_user(stack)
    response = activate(stack, token, program, identifier, issued.json()["shared_secret"])
    assert response.status_code == 201, response.text
    return token, user, response.json()["business_id"], identifier


# ---------------------------------------------------------------- the whole path, per program


@pytest.mark.parametrize("program", ["emanifest", "cers"])
def test_emailed_secret_activation_terms_authorized(stack, program):
    identifier = new_identifier(program)
    issued, order = issue(stack, program, identifier)
    assert issued.status_code == 201, issued.text
    shown = issued.json()["shared_secret"]
    assert issued.json()["delivery"] == "email" and issued.json()["expires_at"]
    # E-mailed to the approved contact; stored only as a keyed hash.
    secret, mail = emailed_secret(stack, order["email"])
    assert secret == shown and identifier in mail["body"]
    canonical = shown.replace("-", "")
    assert canonical not in json.dumps(table_snapshot(stack)) and shown not in json.dumps(table_snapshot(stack))
    item = ident_item(stack, program, identifier)
    assert item["secret_status"] == "issued" and len(item["issue"]["secret_hash"]) == 64

    token, user, _ = new_user(stack)
    # Lowercase, without dashes: the same secret.
    response = activate(stack, token, program, identifier.lower(), canonical.lower())
    assert response.status_code == 201, response.text
    business_id = response.json()["business_id"]
    assert response.json()["status"] == "activated"

    meta = stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": "META"})["Item"]
    assert meta["status"] == "activated" and meta["owner_urn"] == user["urn"] and meta["program"] == program
    assert stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": f"MEMBER#{user['urn']}"})["Item"]["role"] == "owner"
    item = ident_item(stack, program, identifier)
    assert item["secret_status"] == "used" and item["business_id"] == business_id
    audit = stack.table.query(KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": f"AUDIT#{business_id}"})["Items"]
    assert [a["action"] for a in audit] == ["business.activated"] and audit[0]["actor_urn"] == user["urn"]
    notices = [m for m in mail_to(stack, user["email"]) if m["subject"] == "Business account activated"]
    assert len(notices) == 1 and identifier in notices[0]["body"]

    mine = stack.call("GET", "/users/me/businesses", token=token).json()
    assert [(b["business_id"], b["role"], b["status"]) for b in mine] == [(business_id, "owner", "activated")]
    assert "business:manage" in mine[0]["permissions"]

    # Information can be modified only once authorized.
    assert_problem(stack.call("PATCH", f"/businesses/{business_id}", token=token, json={"mailing_address": "1 Main St"}), 409)
    assert_problem(stack.call("POST", f"/businesses/{business_id}/terms", token=token, json={"version": "old-1999"}), 409)
    terms = authorize(stack, token, business_id, program)
    assert terms.json()["status"] == "authorized"
    view = stack.call("GET", f"/businesses/{business_id}", token=token).json()
    assert view["status"] == "authorized" and view["terms_version"] == PROGRAM_TERMS[program] and view["role"] == "owner"
    assert stack.call("GET", "/users/me/businesses", token=token).json()[0]["status"] == "authorized"

    patched = stack.call("PATCH", f"/businesses/{business_id}", token=token,
                         json={"mailing_address": "200 Main St\nOttawa ON", "owner_contact": {"phone": "+1 613 555 0199"},
                               "status": "closed", "owner_urn": "1000000009"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["owner_contact"]["phone"] == "+16135550199" and patched.json()["status"] == "authorized"
    assert patched.json()["owner_urn"] == user["urn"]
    actions = [a["action"] for a in stack.table.query(KeyConditionExpression="pk = :pk",
                                                      ExpressionAttributeValues={":pk": f"AUDIT#{business_id}"})["Items"]]
    assert sorted(actions) == ["business.activated", "business.terms_accepted", "business.updated"]


def test_ttp_registration_letter_activation_terms(stack):
    token, user, _ = new_user(stack, language="fr")
    bn9 = new_bn9()
    on_register = stack.call("PUT", f"/agency/business-register/{bn9}", token=officer(stack), json={
        "legal_name": "Les Transports Boréal inc.", "mailing_address": "1 rue Principale\nGatineau QC  J8X 1A1"})
    assert on_register.status_code == 200, on_register.text
    registered = stack.call("POST", "/registrations", token=token, json={
        "program": "ttp", "business_number": bn9, "legal_name": "Les Transports Boréal inc.",
        "mailing_address": "1 rue Principale\nGatineau QC  J8X 1A1"})
    assert registered.status_code == 202, registered.text
    assert registered.json() == {"status": "received"}
    # Registering the same Business Number again is answered alike and changes nothing.
    again = stack.call("POST", "/registrations", token=token, json={
        "program": "ttp", "business_number": bn9, "legal_name": "Other", "mailing_address": "x"})
    assert (again.status_code, again.json()) == (202, registered.json())

    letters = stack.call("GET", "/agency/letters?status=pending", token=officer(stack))
    assert letters.status_code == 200, letters.text
    found = letters.json()["letters"]
    while letters.json()["next_cursor"] and not any(l["business_number"] == bn9 for l in found):
        letters = stack.call("GET", f"/agency/letters?status=pending&cursor={letters.json()['next_cursor']}",
                             token=officer(stack))
        found = letters.json()["letters"]
    [letter] = [l for l in found if l["business_number"] == bn9]
    client_number = letter["business_identifier"]
    assert re.fullmatch(r"P\d{8}", client_number)
    assert letter["mailing_address"].startswith("1 rue Principale") and letter["language"] == "fr"
    secret = letter["shared_secret"]
    stored = stack.table.get_item(Key={"pk": f"LETTER#{letter['letter_id']}", "sk": "LETTER"})["Item"]
    assert secret not in json.dumps(stored, default=str) and stored["sealed_secret"]

    mailed = stack.call("POST", f"/agency/letters/{letter['letter_id']}/mailed", token=officer(stack))
    assert mailed.status_code == 200, mailed.text
    stored = stack.table.get_item(Key={"pk": f"LETTER#{letter['letter_id']}", "sk": "LETTER"})["Item"]
    assert stored["status"] == "mailed" and "sealed_secret" not in stored and stored["gsi1pk"] == "LETTERS#mailed"
    assert_problem(stack.call("POST", f"/agency/letters/{letter['letter_id']}/mailed", token=officer(stack)), 409)

    response = activate(stack, token, "ttp", client_number, secret.replace("-", " "))
    assert response.status_code == 201, response.text
    business_id = response.json()["business_id"]
    [notice] = [m for m in mail_to(stack, user["email"]) if m["subject"] == "Compte d'entreprise activé"]
    assert client_number in notice["body"]
    authorize(stack, token, business_id, "ttp")
    assert stack.call("GET", f"/businesses/{business_id}", token=token).json()["status"] == "authorized"


# ---------------------------------------------------------------- secrets: used, expired, replaced, locked


def test_used_expired_and_replaced_secrets(stack):
    identifier = new_identifier("emanifest")
    first, _ = issue(stack, "emanifest", identifier)
    second, _ = issue(stack, "emanifest", identifier)
    token, _, _ = new_user(stack)
    # Replaced: the earlier secret no longer matches.
    assert_problem(activate(stack, token, "emanifest", identifier, first.json()["shared_secret"]), 403)
    # Expired.
    stack.table.update_item(Key={"pk": f"IDENT#emanifest#{identifier}", "sk": "SECRET"},
                            UpdateExpression="SET #i.expires_at = :past", ExpressionAttributeNames={"#i": "issue"},
                            ExpressionAttributeValues={":past": 1})
    assert_problem(activate(stack, token, "emanifest", identifier, second.json()["shared_secret"]), 410)
    # A new secret, used once, then used again.
    third, _ = issue(stack, "emanifest", identifier)
    assert activate(stack, token, "emanifest", identifier, third.json()["shared_secret"]).status_code == 201
    other_token, _, _ = new_user(stack)
    assert_problem(activate(stack, other_token, "emanifest", identifier, third.json()["shared_secret"]), 410)
    # An active business account's identifier gets no new secret.
    assert_problem(issue(stack, "emanifest", identifier)[0], 409)


@pytest.mark.parametrize("exists", [True, False])
def test_five_wrong_tries_lock_whether_or_not_the_identifier_exists(stack, exists):
    identifier = new_identifier("cers")
    good = None
    if exists:
        good = issue(stack, "cers", identifier)[0].json()["shared_secret"]
    token, _, _ = new_user(stack)
    wrong = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"
    answers = [activate(stack, token, "cers", identifier, wrong) for _ in range(6)]
    statuses = [a.status_code for a in answers]
    assert statuses == [403, 403, 403, 403, 423, 423], statuses
    for a in answers:
        assert a.headers["content-type"].startswith("application/problem+json")
        assert identifier not in a.text
    assert int(ident_item(stack, "cers", identifier)["failures"]) >= 5
    if exists:
        # Locked even for the right secret, until a new secret is issued.
        assert_problem(activate(stack, token, "cers", identifier, good), 423)
        renewed = issue(stack, "cers", identifier)[0].json()["shared_secret"]
        assert activate(stack, token, "cers", identifier, renewed).status_code == 201


def test_a_strangers_wrong_try_never_stops_a_secret_being_issued(stack):
    """A wrong try on an identifier that has no secret yet leaves a counted record, which the
    agency's issue replaces (never a 409); the business then activates with its secret."""
    identifier = new_identifier("cers")
    stranger, _, _ = new_user(stack)
    assert_problem(activate(stack, stranger, "cers", identifier, "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"), 403)
    assert int(ident_item(stack, "cers", identifier)["failures"]) == 1
    issued, _ = issue(stack, "cers", identifier)
    assert issued.status_code == 201, issued.text
    holder, _, _ = new_user(stack)
    assert activate(stack, holder, "cers", identifier, issued.json()["shared_secret"]).status_code == 201


@pytest.mark.parametrize("racers", [20, 50])
def test_concurrent_activations_with_one_secret_make_one_owner(stack, racers):
    identifier = new_identifier("emanifest")
    secret = issue(stack, "emanifest", identifier)[0].json()["shared_secret"]
    tokens = [new_user(stack)[0] for _ in range(racers)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=racers) as pool:
        responses = list(pool.map(lambda t: activate(stack, t, "emanifest", identifier, secret), tokens))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == 1 and all(s in (409, 410) for s in statuses if s != 201), statuses
    business_id = next(r for r in responses if r.status_code == 201).json()["business_id"]
    members = stack.table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :m)",
                                ExpressionAttributeValues={":pk": f"BUS#{business_id}", ":m": "MEMBER#"})["Items"]
    assert [m["role"] for m in members] == ["owner"]
    metas = stack.scan(FilterExpression="sk = :meta AND #i.#v = :id",
                             ExpressionAttributeNames={"#i": "identifier", "#v": "value"},
                             ExpressionAttributeValues={":meta": "META", ":id": identifier})
    assert len(metas) == 1


# ---------------------------------------------------------------- new codes


def test_new_code_request_answers_the_same_whatever_the_identifier(stack):
    token, _, _ = new_user(stack)
    identifier = new_identifier("emanifest")
    issued, order = issue(stack, "emanifest", identifier)
    old = issued.json()["shared_secret"]

    before = table_snapshot(stack)
    unknown = stack.call("POST", "/activation-code-requests", token=token,
                         json={"program": "emanifest", "business_identifier": new_identifier("emanifest")})
    assert unknown.status_code == 202
    # Only the caller's own count of requests moved (every request writes it, so a known
    # identifier's write is not told apart).
    assert all('"RATE#' in i for i in table_snapshot(stack) if i not in before)

    known = stack.call("POST", "/activation-code-requests", token=token,
                       json={"program": "emanifest", "business_identifier": identifier})
    assert known.status_code == 202 and known.json() == unknown.json()
    codes = [SECRET_RE.search(m["body"]).group(1) for m in mail_to(stack, order["email"]) if SECRET_RE.search(m["body"])]
    assert len(codes) == 2
    new = codes[-1]
    assert new != old
    # The code in hand keeps working (test_codes.py has the rest of it).
    assert activate(stack, token, "emanifest", identifier, old).status_code == 201
    assert_problem(activate(stack, token, "emanifest", identifier, new), 410)


# ---------------------------------------------------------------- who may do what


def test_agency_routes_need_an_agency_officer(stack):
    token, _, _ = new_user(stack)
    before = table_snapshot(stack)
    body = {"program": "emanifest", "business_identifier": new_identifier("emanifest"), "legal_name": "X",
            "mailing_address": "Y", "email": "z@example.com"}
    assert_problem(stack.call("POST", "/agency/shared-secrets", token=token, json=body), 403)
    assert_problem(stack.call("GET", "/agency/letters", token=token), 403)
    assert_problem(stack.call("POST", f"/agency/letters/{'a' * 26}/mailed", token=token), 403)
    assert_problem(stack.call("POST", f"/agency/letters/{'a' * 26}/approve", token=token), 403)
    assert_problem(stack.call("POST", f"/agency/letters/{'a' * 26}/reject", token=token, json={"reason": "x"}), 403)
    assert_problem(stack.call("PUT", f"/agency/business-register/{new_bn9()}", token=token,
                              json={"legal_name": "X", "mailing_address": "Y"}), 403)
    assert_problem(stack.call("GET", "/agency/audit", token=token), 403)
    assert table_snapshot(stack) == before
    assert_problem(stack.call("POST", f"/agency/letters/{'a' * 26}/mailed", token=officer(stack)), 404)


def test_non_members_get_404_on_every_business_route(stack):
    _, _, business_id, _ = activated_business(stack)
    stranger, _, _ = new_user(stack)
    before = table_snapshot(stack)
    for method, path, body in [
        ("GET", f"/businesses/{business_id}", None),
        ("PATCH", f"/businesses/{business_id}", {"mailing_address": "x"}),
        ("DELETE", f"/businesses/{business_id}", None),
        ("POST", f"/businesses/{business_id}/terms", {"version": PROGRAM_TERMS["emanifest"]}),
        ("GET", "/businesses/not-an-id", None),
    ]:
        response = stack.call(method, path, token=stranger, json=body)
        assert_problem(response, 404)
        assert business_id not in response.text
    assert table_snapshot(stack) == before
    assert stack.call("GET", "/users/me/businesses", token=stranger).json() == []


@pytest.mark.parametrize("program,identifier", [
    ("emanifest", "AB1"), ("emanifest", "AB-C!"), ("cers", "123456789RM0001"), ("cers", "123456782RT0001"),
    ("cers", "12345"), ("ttp", "P1234567"), ("ttp", "123456789"),
])
def test_malformed_identifiers_are_422_naming_the_field(stack, program, identifier):
    token, _, _ = new_user(stack)
    before = table_snapshot(stack)
    problem = assert_problem(activate(stack, token, program, identifier, "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"), 422)
    assert [e["field"] for e in problem["errors"]] == ["business_identifier"]
    problem = assert_problem(issue(stack, program, identifier)[0], 422)
    assert "business_identifier" in [e["field"] for e in problem["errors"]]
    assert table_snapshot(stack) == before


def test_activation_body_fields_are_each_named(stack):
    token, _, _ = new_user(stack)
    problem = assert_problem(stack.call("POST", "/businesses", token=token, json={
        "program": "nope", "shared_secret": "x", "owner_contact": {"phone": "1", "email": "bad"}}), 422)
    fields = sorted(e["field"] for e in problem["errors"])
    assert fields == ["owner_contact.address", "owner_contact.email", "owner_contact.phone",
                      "owner_contact.position_title", "program", "shared_secret"]


def test_business_changes_with_if_match_refuse_a_stale_version(stack):
    """Two people edit the business from the same read: the second `If-Match` is stale, so the
    first change stays and nothing else is written."""
    token, _, business_id, _ = activated_business(stack)
    authorize(stack, token, business_id, "emanifest")
    url = f"/businesses/{business_id}"
    read = stack.call("GET", url, token=token).json()
    version = read["version"]
    first = stack.call("PATCH", url, token=token, json={"mailing_address": "1 First St\nOttawa ON"},
                       headers={"If-Match": f'"{version}"'})
    assert first.status_code == 200, first.text
    assert first.json()["version"] == version + 1 and first.json()["mailing_address"] == "1 First St\nOttawa ON"
    before = table_snapshot(stack)
    stale = stack.call("PATCH", url, token=token, json={"mailing_address": "2 Second St\nOttawa ON"},
                       headers={"If-Match": f'W/"{version}"'})
    assert "read it again" in assert_problem(stale, 409)["detail"]
    bad = stack.call("PATCH", url, token=token, json={"mailing_address": "3 Third St"}, headers={"If-Match": "abc"})
    assert [e["field"] for e in assert_problem(bad, 422)["errors"]] == ["If-Match"]
    assert table_snapshot(stack) == before
    now = stack.call("GET", url, token=token).json()
    assert now["mailing_address"] == "1 First St\nOttawa ON" and now["version"] == version + 1
    # Without If-Match the change is made on the version the request read (no lost update either).
    plain = stack.call("PATCH", url, token=token, json={"mailing_address": "4 Fourth St\nOttawa ON"})
    assert plain.status_code == 200 and plain.json()["version"] == version + 2


def test_closing_a_business_removes_access_and_frees_the_identifier(stack):
    token, user, business_id, identifier = activated_business(stack)
    assert stack.call("DELETE", f"/businesses/{business_id}", token=token).status_code == 204
    assert_problem(stack.call("GET", f"/businesses/{business_id}", token=token), 404)
    assert stack.call("GET", "/users/me/businesses", token=token).json() == []
    assert stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": "META"})["Item"]["status"] == "closed"
    assert "business_id" not in ident_item(stack, "emanifest", identifier)
    assert issue(stack, "emanifest", identifier)[0].status_code == 201
