"""User accounts end to end: the routes of the contract over HTTP on the local stack, with
what DynamoDB holds and what SES sent checked after each."""

import concurrent.futures
import datetime
import json
import re
import time
import uuid

import pytest

from boto3.dynamodb.conditions import Key

TERMS = "2026-01"
DAMM = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
]


def damm_digit(digits):
    """The Damm check digit of `digits` (the one that makes the whole check to 0)."""
    interim = 0
    for d in digits:
        interim = DAMM[interim][int(d)]
    return str(interim)


def damm_ok(digits):
    return damm_digit(digits) == "0"


def new_sub():
    return f"user-{uuid.uuid4()}"


def profile(**overrides):
    body = {
        "name": "Alex Tremblay",
        "email": f"alex.{uuid.uuid4().hex[:8]}@example.com",
        "phone": "+1 613 555 0100",
        "language": "en",
        "terms_version": TERMS,
    }
    body.update(overrides)
    return body


def user_item(stack, sub, idp="gckey"):
    return stack.table.get_item(Key={"pk": f"CRED#{idp}#{sub}", "sk": "USER"}, ConsistentRead=True).get("Item")


def table_snapshot(stack):
    """Every item in the table (a test may scan; a request path never does), once the stream has
    settled: notices of earlier changes are sent (or tried) first, so that two snapshots differ
    only by what happened in between."""
    stack.settle()
    return sorted(json.dumps(i, sort_keys=True, default=str) for i in stack.scan())


def mail_to(stack, address):
    return [m for m in stack.sent_mail() if address in m["destinations"]["ToAddresses"]]


def create(stack, sub, **overrides):
    body = profile(**overrides)
    response = stack.call("POST", "/users", token=stack.token(sub), json=body)
    return response, body


def assert_problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["type"]
    return problem


# ---------------------------------------------------------------- public routes


def test_health_and_programs(stack):
    assert stack.call("GET", "/health").json() == {"status": "ok"}
    programs = stack.call("GET", "/programs").json()
    assert programs["portal_terms_version"] == TERMS
    by_program = {p["program"]: p for p in programs["programs"]}
    assert set(by_program) == {"ttp", "emanifest", "cers"}
    assert by_program["ttp"]["identifier_kind"] == "client_number"
    assert by_program["ttp"]["secret_delivery"] == "letter"
    assert by_program["emanifest"]["identifier_kind"] == "carrier_code"
    assert by_program["cers"]["identifier_kind"] == "business_number"
    for p in by_program.values():
        assert 1 <= p["secret_lifetime_days"] <= 30 and p["terms_version"]


# ---------------------------------------------------------------- creating a user account


def test_create_user_gives_a_urn_stores_it_and_sends_the_notice(stack):
    sub = new_sub()
    response, body = create(stack, sub)
    assert response.status_code == 201, response.text
    user = response.json()
    urn = user["urn"]
    assert len(urn) == 10 and urn.isdigit() and damm_ok(urn)
    assert user["email"] == body["email"] and user["phone"] == "+16135550100" and user["language"] == "en"

    item = user_item(stack, sub)
    assert item["urn"] == urn and item["email"] == body["email"] and item["version"] == 1
    urn_item = stack.table.get_item(Key={"pk": f"URN#{urn}", "sk": "URN"})["Item"]
    assert urn_item["sub"] == sub and urn_item["idp"] == "gckey" and urn_item["language"] == "en"

    mails = mail_to(stack, body["email"])
    assert len(mails) == 1
    assert urn in mails[0]["body"] and "User Reference Number" in mails[0]["body"]
    assert mails[0]["subject"] == "Your trade portal user account"

    # The outbox marks what it sent.
    notices = stack.scan(FilterExpression="begins_with(pk, :p) AND #to = :to",
                               ExpressionAttributeNames={"#to": "to"},
                               ExpressionAttributeValues={":p": "NOTICE#", ":to": body["email"]})
    assert [n["status"] for n in notices] == ["sent"]
    assert "gsi1pk" not in notices[0]

    me = stack.call("GET", "/users/me", token=stack.token(sub))
    assert me.status_code == 200 and me.json()["urn"] == urn


def test_french_user_gets_the_notice_in_french(stack):
    response, body = create(stack, new_sub(), language="fr")
    assert response.status_code == 201
    [mail] = mail_to(stack, body["email"])
    assert "numéro de référence de l'utilisateur" in mail["body"]
    assert mail["subject"].startswith("Votre compte")


def test_one_user_account_per_credential(stack):
    sub = new_sub()
    first, body = create(stack, sub)
    assert first.status_code == 201
    before = table_snapshot(stack)
    again, again_body = create(stack, sub)
    assert_problem(again, 409)
    assert table_snapshot(stack) == before
    assert mail_to(stack, again_body["email"]) == []
    # The same subject at the other provider is another credential.
    other = stack.call("POST", "/users", token=stack.token(sub, idp="sign-in-partner"), json=profile())
    assert other.status_code == 201 and other.json()["urn"] != first.json()["urn"]


def test_stale_terms_version_is_a_conflict_and_writes_nothing(stack):
    before = table_snapshot(stack)
    response, body = create(stack, new_sub(), terms_version="2019-01")
    assert_problem(response, 409)
    assert table_snapshot(stack) == before
    assert mail_to(stack, body["email"]) == []


def test_fifty_concurrent_creates_with_one_credential_make_one_account(stack):
    sub = new_sub()
    token = stack.token(sub)
    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(lambda _: stack.call("POST", "/users", token=token, json=profile()), range(50)))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1 and codes.count(409) == 49, codes
    winner = next(r for r in responses if r.status_code == 201).json()
    assert user_item(stack, sub)["urn"] == winner["urn"]
    urn_items = stack.scan(FilterExpression="begins_with(pk, :p) AND #sub = :s",
                                 ExpressionAttributeNames={"#sub": "sub"},
                                 ExpressionAttributeValues={":p": "URN#", ":s": sub})
    assert len(urn_items) == 1


# ---------------------------------------------------------------- reading and changing it


def test_me_is_404_before_the_account_exists(stack):
    assert_problem(stack.call("GET", "/users/me", token=stack.token(new_sub())), 404)
    assert_problem(stack.call("PATCH", "/users/me", token=stack.token(new_sub()), json={"name": "X"}), 404)


def test_patch_me_changes_the_profile_and_the_urn_index(stack):
    sub = new_sub()
    created, _ = create(stack, sub)
    urn = created.json()["urn"]
    response = stack.call("PATCH", "/users/me", token=stack.token(sub),
                          json={"name": "Alexandra Tremblay", "language": "fr", "urn": "1111111111", "version": 99})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Alexandra Tremblay" and response.json()["language"] == "fr"
    assert response.json()["urn"] == urn  # a URN in the body is never applied
    item = user_item(stack, sub)
    assert item["name"] == "Alexandra Tremblay" and item["version"] == 2 and item["urn"] == urn
    urn_item = stack.table.get_item(Key={"pk": f"URN#{urn}", "sk": "URN"})["Item"]
    assert urn_item["name"] == "Alexandra Tremblay" and urn_item["language"] == "fr"


# ---------------------------------------------------------------- bad input, on every route


BAD_BODIES = [
    ("not json", 400, None),
    ("[1, 2]", 400, None),
    ('"a string"', 400, None),
    ("{\"name\": ", 400, None),
]


@pytest.mark.parametrize("method,path", [("POST", "/users"), ("PATCH", "/users/me"),
                                         ("POST", "/users/me/email-confirmation"),
                                         ("POST", "/credential-transfers/claim")])
@pytest.mark.parametrize("raw,status,_", BAD_BODIES)
def test_malformed_bodies_are_400_and_write_nothing(stack, method, path, raw, status, _):
    sub = new_sub()
    if path.startswith("/users/me"):
        assert create(stack, sub)[0].status_code == 201
    before = table_snapshot(stack)
    response = stack.call(method, path, token=stack.token(sub), data=raw.encode(),
                          headers={"content-type": "application/json"})
    assert_problem(response, status)
    assert table_snapshot(stack) == before


def test_hostile_bodies_are_4xx_never_5xx(stack):
    sub = new_sub()
    before = table_snapshot(stack)
    deep = "[" * 5000 + "]" * 5000
    nested = '{"name": ' + "{\"a\": " * 3000 + "1" + "}" * 3000 + "}"
    wide = json.dumps({f"f{i}": "x" for i in range(5000)})
    for raw in [deep, nested, wide, '{"name": "a\\u0000b"}', "\u0000", '{"name": "\\ud800"}']:
        response = stack.call("POST", "/users", token=stack.token(sub), data=raw.encode())
        assert 400 <= response.status_code < 500, (raw[:40], response.status_code, response.text)
    assert table_snapshot(stack) == before


def test_oversize_and_non_utf8_bodies(stack):
    sub = new_sub()
    before = table_snapshot(stack)
    big = json.dumps(profile(name="x" * (70 * 1024)))
    assert_problem(stack.call("POST", "/users", token=stack.token(sub), data=big.encode()), 413)
    assert_problem(stack.call("POST", "/users", token=stack.token(sub), data=b"\xff\xfe{}"), 400)
    assert table_snapshot(stack) == before


@pytest.mark.parametrize("field,value", [
    ("email", "not-an-email"), ("email", 42), ("phone", "555"), ("phone", None),
    ("language", "de"), ("language", "EN"), ("name", ""), ("name", "x" * 10_000), ("name", "a\u0000b"),
    ("terms_version", ["2026-01"]),
])
def test_invalid_fields_are_422_naming_the_field(stack, field, value):
    sub = new_sub()
    before = table_snapshot(stack)
    body = profile(**{field: value})
    problem = assert_problem(stack.call("POST", "/users", token=stack.token(sub), json=body), 422)
    assert [e["field"] for e in problem["errors"]] == [field]
    assert table_snapshot(stack) == before
    assert mail_to(stack, body["email"] if isinstance(body["email"], str) else "") == []


def test_missing_fields_are_all_named(stack):
    problem = assert_problem(stack.call("POST", "/users", token=stack.token(new_sub()), json={}), 422)
    assert sorted(e["field"] for e in problem["errors"]) == ["email", "language", "name", "phone", "terms_version"]


def test_patch_with_bad_fields_changes_nothing(stack):
    sub = new_sub()
    create(stack, sub)
    before = user_item(stack, sub)
    problem = assert_problem(stack.call("PATCH", "/users/me", token=stack.token(sub),
                                        json={"name": "Fine", "email": "broken"}), 422)
    assert [e["field"] for e in problem["errors"]] == ["email"]
    assert_problem(stack.call("PATCH", "/users/me", token=stack.token(sub), json={}), 422)
    assert user_item(stack, sub) == before


@pytest.mark.parametrize("method,path", [
    ("POST", "/users"), ("GET", "/users/me"), ("PATCH", "/users/me"),
    ("POST", "/users/me/credential-transfers"), ("POST", "/credential-transfers/claim"),
    ("POST", "/users/me/email-confirmation"),
])
def test_tokens_are_required_and_checked(stack, method, path):
    before = table_snapshot(stack)
    sub = new_sub()
    for token in [None, "not-a-jwt", stack.token(sub, exp=int(time.time()) - 3600), stack.token(sub, iss="https://evil.example"),
                  stack.token(sub, aud="another-app"), stack.token(sub)[:-4] + "AAAA"]:
        response = stack.call(method, path, token=token, json=profile())
        assert response.status_code == 401, (token, response.text)
    assert table_snapshot(stack) == before


# ---------------------------------------------------------------- moving to another credential


def test_credential_transfer_moves_the_account(stack):
    old, new = new_sub(), new_sub()
    created, body = create(stack, old)
    urn = created.json()["urn"]
    started = stack.call("POST", "/users/me/credential-transfers", token=stack.token(old))
    assert started.status_code == 201, started.text
    code = started.json()["transfer_code"]
    assert len(code.replace("-", "")) == 10 and started.json()["expires_at"]
    # Only a keyed hash of the code is stored.
    assert code.replace("-", "") not in json.dumps(table_snapshot(stack))

    claimed = stack.call("POST", "/credential-transfers/claim", token=stack.token(new, idp="sign-in-partner"),
                         json={"transfer_code": code.lower()})
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["urn"] == urn

    assert_problem(stack.call("GET", "/users/me", token=stack.token(old)), 404)
    assert stack.call("GET", "/users/me", token=stack.token(new, idp="sign-in-partner")).json()["urn"] == urn
    assert user_item(stack, old) is None
    assert user_item(stack, new, idp="sign-in-partner")["urn"] == urn
    urn_item = stack.table.get_item(Key={"pk": f"URN#{urn}", "sk": "URN"})["Item"]
    assert (urn_item["idp"], urn_item["sub"]) == ("sign-in-partner", new)
    notices = [m for m in mail_to(stack, body["email"]) if "credential" in m["subject"]]
    assert len(notices) == 1 and urn in notices[0]["body"]

    # The code is single use; the old credential is free to make a new account.
    again = stack.call("POST", "/credential-transfers/claim", token=stack.token(new_sub()), json={"transfer_code": code})
    assert_problem(again, 404)
    assert create(stack, old)[0].status_code == 201


def test_credential_transfer_refusals(stack):
    old, taken = new_sub(), new_sub()
    create(stack, old)
    create(stack, taken)
    first = stack.call("POST", "/users/me/credential-transfers", token=stack.token(old)).json()["transfer_code"]
    second = stack.call("POST", "/users/me/credential-transfers", token=stack.token(old)).json()["transfer_code"]

    # A credential that has an account cannot claim one.
    assert_problem(stack.call("POST", "/credential-transfers/claim", token=stack.token(taken),
                              json={"transfer_code": second}), 409)
    # A newer code replaces an older one.
    assert_problem(stack.call("POST", "/credential-transfers/claim", token=stack.token(new_sub()),
                              json={"transfer_code": first}), 410)
    # An unknown or malformed code.
    assert_problem(stack.call("POST", "/credential-transfers/claim", token=stack.token(new_sub()),
                              json={"transfer_code": "0000-0000-00"}), 404)
    problem = assert_problem(stack.call("POST", "/credential-transfers/claim", token=stack.token(new_sub()),
                                        json={"transfer_code": "short"}), 422)
    assert problem["errors"][0]["field"] == "transfer_code"
    # An expired code (its clock moved back in the table).
    xfer = stack.scan(FilterExpression="begins_with(pk, :p) AND #sub = :s",
                            ExpressionAttributeNames={"#sub": "sub"},
                            ExpressionAttributeValues={":p": "XFER#", ":s": old})
    for item in xfer:
        stack.table.update_item(Key={"pk": item["pk"], "sk": item["sk"]},
                                UpdateExpression="SET expires_at = :past", ExpressionAttributeValues={":past": 1})
    assert_problem(stack.call("POST", "/credential-transfers/claim", token=stack.token(new_sub()),
                              json={"transfer_code": second}), 410)
    assert user_item(stack, old) is not None
    assert_problem(stack.call("POST", "/users/me/credential-transfers", token=stack.token(new_sub())), 404)


# ---------------------------------------------------------------- changing the e-mail


def new_address():
    return f"new.{uuid.uuid4().hex[:8]}@example.com"


def ask_email(stack, sub, email, **other):
    response = stack.call("PATCH", "/users/me", token=stack.token(sub), json={"email": email, **other})
    assert response.status_code == 200, response.text
    return response.json()


def code_sent_to(stack, address):
    """The code of the newest code mail to `address` (its own line, indented)."""
    mails = [m for m in mail_to(stack, address) if "code" in m["subject"].lower()]
    assert mails, f"no code mail to {address}"
    return re.search(r"^    (\d{6})$", mails[-1]["body"], re.M).group(1)


def confirm(stack, sub, code):
    return stack.call("POST", "/users/me/email-confirmation", token=stack.token(sub), json={"code": code})


def wrong(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def notices_of(stack, addresses):
    notices = stack.scan(FilterExpression="begins_with(pk, :p)", ExpressionAttributeValues={":p": "NOTICE#"})
    return [n for n in notices if n["to"] in addresses]


def test_a_stolen_session_changing_the_email_does_not_move_the_notices(stack):
    """Attack 5: with someone's session, changing their e-mail and then starting a credential
    transfer took the account for good. Now the new address waits for its code, the current
    address is told, and notices (the transfer's too) keep going to the current address."""
    sub = new_sub()
    created, body = create(stack, sub)
    old, urn = body["email"], created.json()["urn"]
    attacker = new_address()

    changed = ask_email(stack, sub, attacker, name="Mallory Changed")
    assert changed["email"] == old and changed["pending_email"] == attacker
    assert changed["name"] == "Mallory Changed"  # the rest changes at once
    me = stack.call("GET", "/users/me", token=stack.token(sub)).json()
    assert (me["email"], me["pending_email"]) == (old, attacker)

    # Stored: the confirmed address, and the new one with only a keyed hash of its code.
    item = user_item(stack, sub)
    assert item["email"] == old and item["version"] == 2
    pending = item["pending_email"]
    assert pending["email"] == attacker and pending["wrong_tries"] == 0 and len(pending["code_hash"]) == 64
    assert int(pending["expires_at"]) - time.time() == pytest.approx(86_400, abs=120)
    # The dashboard says until when the code works: the stored expiry, as a timestamp.
    shown = datetime.datetime.fromisoformat(me["pending_email_expires_at"].replace("Z", "+00:00"))
    assert shown.timestamp() == int(pending["expires_at"])
    assert stack.table.get_item(Key={"pk": f"URN#{urn}", "sk": "URN"})["Item"]["email"] == old

    # The current address was told, without the code; the new one got the code.
    code = code_sent_to(stack, attacker)
    [told] = mail_to(stack, old)[1:]  # after the URN confirmation
    assert attacker in told["body"] and "change of e-mail" in told["subject"]
    assert not re.search(r"\b\d{6}\b", told["body"])
    # The code is nowhere in the table: the user item holds its hash, the sent notice lost its seal.
    for n in notices_of(stack, {old, attacker}):
        assert n["status"] == "sent" and "sealed" not in n, n
        assert code not in json.dumps(n, default=str)
    assert code not in json.dumps(user_item(stack, sub), default=str)

    # A credential transfer started before the code is confirmed tells the current address.
    assert stack.call("POST", "/users/me/credential-transfers", token=stack.token(sub)).status_code == 201
    transfer = [m for m in mail_to(stack, old) if "move your user account" in m["subject"]]
    assert len(transfer) == 1 and urn in transfer[0]["body"]
    assert [m["subject"] for m in mail_to(stack, attacker)] == ["Your code to confirm your new e-mail address"]


def test_the_code_from_the_mail_confirms_the_new_address(stack):
    sub = new_sub()
    created, body = create(stack, sub, language="fr")
    old, urn = body["email"], created.json()["urn"]
    new = new_address()
    ask_email(stack, sub, new)
    code = code_sent_to(stack, new)
    [mail] = mail_to(stack, new)
    assert mail["subject"].startswith("Votre code")  # in the account's language

    confirmed = confirm(stack, sub, f"{code[:3]} {code[3:]}")  # as a person may type it
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["email"], confirmed.json()["pending_email"]) == (new, None)
    assert confirmed.json()["pending_email_expires_at"] is None
    item = user_item(stack, sub)
    assert item["email"] == new and "pending_email" not in item and item["version"] == 3
    assert stack.table.get_item(Key={"pk": f"URN#{urn}", "sk": "URN"})["Item"]["email"] == new

    # Used: nothing is pending any more, and notices now go to the new address.
    assert_problem(confirm(stack, sub, code), 409)
    assert stack.call("POST", "/users/me/credential-transfers", token=stack.token(sub)).status_code == 201
    assert len(mail_to(stack, new)) == 2 and len(mail_to(stack, old)) == 2  # URN, change asked


def test_five_wrong_codes_drop_the_change(stack):
    sub = new_sub()
    _, body = create(stack, sub)
    new = new_address()
    ask_email(stack, sub, new)
    code = code_sent_to(stack, new)
    for tries in range(1, 5):
        problem = assert_problem(confirm(stack, sub, wrong(code)), 422)
        assert problem["errors"] == [{"field": "code", "message": "is not the code sent to the new address"}]
        assert user_item(stack, sub)["pending_email"]["wrong_tries"] == tries
    problem = assert_problem(confirm(stack, sub, wrong(code)), 422)
    assert problem["errors"][0]["field"] == "code" and "too many" in problem["errors"][0]["message"]
    item = user_item(stack, sub)
    assert "pending_email" not in item and item["email"] == body["email"]
    assert stack.call("GET", "/users/me", token=stack.token(sub)).json()["pending_email"] is None
    # The right code no longer helps.
    assert_problem(confirm(stack, sub, code), 409)
    assert user_item(stack, sub)["email"] == body["email"]


def test_another_users_code_does_not_confirm_mine(stack):
    mine, theirs = new_sub(), new_sub()
    _, body = create(stack, mine)
    create(stack, theirs)
    my_new, their_new = new_address(), new_address()
    ask_email(stack, mine, my_new)
    my_code = code_sent_to(stack, my_new)
    ask_email(stack, theirs, their_new)
    their_code = code_sent_to(stack, their_new)
    while their_code == my_code:  # one chance in a million: ask again for another code
        ask_email(stack, theirs, their_new)
        their_code = code_sent_to(stack, their_new)

    # Their code is wrong on my account, and mine on theirs: each is for its own address.
    assert_problem(confirm(stack, mine, their_code), 422)
    assert_problem(confirm(stack, theirs, my_code), 422)
    assert user_item(stack, mine)["email"] == body["email"]
    # Confirming theirs changes nothing of mine.
    assert confirm(stack, theirs, their_code).status_code == 200
    item = user_item(stack, mine)
    assert item["email"] == body["email"] and item["pending_email"]["email"] == my_new
    assert confirm(stack, mine, my_code).json()["email"] == my_new


def test_a_later_change_replaces_the_pending_one_and_the_current_address_cancels_it(stack):
    sub = new_sub()
    _, body = create(stack, sub)
    first, second = new_address(), new_address()
    ask_email(stack, sub, first)
    first_code = code_sent_to(stack, first)
    assert ask_email(stack, sub, second)["pending_email"] == second
    second_code = code_sent_to(stack, second)
    if first_code != second_code:  # the earlier code stops working (one chance in a million they match)
        assert_problem(confirm(stack, sub, first_code), 422)
    assert confirm(stack, sub, second_code).json()["email"] == second

    # Asking for the address the account has (in any case) leaves nothing pending.
    third = new_address()
    ask_email(stack, sub, third)
    third_code = code_sent_to(stack, third)
    again = ask_email(stack, sub, second.upper())
    assert (again["email"], again["pending_email"]) == (second, None)
    assert "pending_email" not in user_item(stack, sub)
    assert_problem(confirm(stack, sub, third_code), 409)
    # A name change alone keeps a pending change.
    ask_email(stack, sub, third)
    after = stack.call("PATCH", "/users/me", token=stack.token(sub), json={"name": "Alex T."}).json()
    assert after["pending_email"] == third


def test_email_confirmation_refusals_write_nothing(stack):
    sub = new_sub()
    _, body = create(stack, sub)
    assert_problem(confirm(stack, sub, "123456"), 409)  # nothing pending
    assert_problem(confirm(stack, new_sub(), "123456"), 404)  # no account
    new = new_address()
    ask_email(stack, sub, new)
    code = code_sent_to(stack, new)
    before = table_snapshot(stack)
    for bad in ["12345", "1234567", "12345a", "", None, 123456, ["123456"]]:
        response = stack.call("POST", "/users/me/email-confirmation", token=stack.token(sub), json={"code": bad})
        problem = assert_problem(response, 422)
        assert [e["field"] for e in problem["errors"]] == ["code"], bad
    assert table_snapshot(stack) == before

    # A day later the code is no good, and the change is dropped.
    stack.table.update_item(Key={"pk": f"CRED#gckey#{sub}", "sk": "USER"},
                            UpdateExpression="SET pending_email.expires_at = :past",
                            ExpressionAttributeValues={":past": int(time.time()) - 1})
    problem = assert_problem(confirm(stack, sub, code), 422)
    assert "expired" in problem["errors"][0]["message"]
    item = user_item(stack, sub)
    assert "pending_email" not in item and item["email"] == body["email"]
