"""Codes: what a stranger with a credential of their own, and nothing else, must not be able to
do (api.md, "Codes"): lock the rightful holder out with wrong tries, learn whether an identifier
exists, or kill the code a business holds by asking for new ones. Each attack is tried over
HTTP, and the table and the sent mail are checked after it."""

import uuid

from stack import AGENCY_NOTICE_EMAIL
from test_businesses import (SECRET_RE, activate, emailed_secret, ident_item, issue, new_bn9, new_identifier,
                             new_user, officer)
from test_registration import put_register
from test_users import assert_problem, mail_to, table_snapshot

WRONG = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"


def ask_new_code(stack, token, program, identifier):
    response = stack.call("POST", "/activation-code-requests", token=token,
                          json={"program": program, "business_identifier": identifier})
    assert response.status_code == 202, response.text
    return response


def dynamodb_calls(stack, function):
    """How many of each DynamoDB call `function` has made so far (a transaction as
    "….TransactWriteItems Put,Update", its items' kinds)."""
    return dict(stack.faults()["dynamodb"]["calls"].get(function, {}))


def calls_made(stack, function, request):
    before = dynamodb_calls(stack, function)
    response = request()
    after = dynamodb_calls(stack, function)
    return response, {call: n - before.get(call, 0) for call, n in after.items() if n != before.get(call, 0)}


def tries_item(stack, program, identifier, sub):
    return stack.table.get_item(Key={"pk": f"IDENT#{program}#{identifier}", "sk": f"TRIES#gckey#{sub}"},
                                ConsistentRead=True).get("Item")


def letters_for(stack, identifier):
    items = stack.scan(FilterExpression="sk = :letter AND business_identifier.#v = :id",
                       ExpressionAttributeNames={"#v": "value"},
                       ExpressionAttributeValues={":letter": "LETTER", ":id": identifier})
    return items


def pending_letters(stack):
    """Every letter waiting to be mailed, read page by page as an officer would."""
    found, cursor, token = [], None, officer(stack)
    while True:
        page = stack.call("GET", "/agency/letters?status=pending" + (f"&cursor={cursor}" if cursor else ""),
                          token=token)
        assert page.status_code == 200, page.text
        found += page.json()["letters"]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return found


def pending_code(stack, letter_id):
    [letter] = [l for l in pending_letters(stack) if l["letter_id"] == letter_id]
    return letter["shared_secret"]


# ---------------------------------------------------------------- wrong tries count per credential


def test_a_strangers_wrong_tries_lock_out_the_stranger_and_never_the_holder(stack):
    identifier = new_identifier("cers")
    issued, order = issue(stack, "cers", identifier)
    good = issued.json()["shared_secret"]
    stranger, _, _ = new_user(stack)
    answers = [activate(stack, stranger, "cers", identifier, WRONG) for _ in range(6)]
    assert [a.status_code for a in answers] == [403, 403, 403, 403, 423, 423]
    # The wrong pair says how many tries are left, before the lock.
    assert [a.json().get("attempts_left") for a in answers[:4]] == [4, 3, 2, 1]
    assert all("attempts_left" not in a.json() for a in answers[4:])
    # Locked out even with the right secret: the stranger's own lock.
    assert_problem(activate(stack, stranger, "cers", identifier, good), 423)
    # The identifier itself is not locked: its holder, on another credential, activates.
    holder, _, _ = new_user(stack)
    assert activate(stack, holder, "cers", identifier, good).status_code == 201
    assert int(ident_item(stack, "cers", identifier)["failures"]) == 5
    # Nobody was told: five wrong tries are far from piling up.
    assert not [m for m in mail_to(stack, order["email"]) if "Wrong activation codes" in m["subject"]]


def test_a_lock_lasts_a_day_or_until_a_new_secret_is_issued(stack):
    identifier = new_identifier("emanifest")
    issue(stack, "emanifest", identifier)
    token, _, _ = new_user(stack)
    for _ in range(5):
        activate(stack, token, "emanifest", identifier, WRONG)
    item = list(stack.scan(FilterExpression="pk = :pk AND begins_with(sk, :t)",
                                  ExpressionAttributeValues={":pk": f"IDENT#emanifest#{identifier}",
                                                             ":t": "TRIES#"}))
    assert len(item) == 1 and int(item[0]["count"]) == 5
    sub = item[0]["sk"].split("#", 2)[2]
    # Gone a day after the last wrong try (the table's TTL; the read checks `until` too).
    assert int(item[0]["ttl"]) == int(item[0]["until"])
    assert_problem(activate(stack, token, "emanifest", identifier, WRONG), 423)
    # A day later (the record as the day has left it), the credential may try again.
    stack.table.update_item(Key={"pk": f"IDENT#emanifest#{identifier}", "sk": f"TRIES#gckey#{sub}"},
                            UpdateExpression="SET #u = :past", ExpressionAttributeNames={"#u": "until"},
                            ExpressionAttributeValues={":past": 1})
    assert assert_problem(activate(stack, token, "emanifest", identifier, WRONG), 403)["attempts_left"] == 4
    for _ in range(4):
        activate(stack, token, "emanifest", identifier, WRONG)
    assert_problem(activate(stack, token, "emanifest", identifier, WRONG), 423)
    # A new secret from the agency ends the lock at once.
    renewed = issue(stack, "emanifest", identifier)[0].json()["shared_secret"]
    assert activate(stack, token, "emanifest", identifier, renewed).status_code == 201
    assert tries_item(stack, "emanifest", identifier, sub)["issue_no"] != ident_item(stack, "emanifest", identifier)["issue_no"]


# ---------------------------------------------------------------- unknown identifiers


def test_unknown_identifiers_answer_as_known_ones_with_the_same_store_calls(stack):
    known = new_identifier("cers")
    issue(stack, "cers", known)
    unknown = new_identifier("cers")
    answers, calls = {}, {}
    for name, identifier in (("known", known), ("unknown", unknown)):
        token, _, _ = new_user(stack)
        activate(stack, token, "cers", new_identifier("cers"), WRONG)  # the instance is warm
        answers[name], calls[name] = [], []
        for _ in range(6):
            response, made = calls_made(stack, "activate-business",
                                        lambda: activate(stack, token, "cers", identifier, WRONG))
            answers[name].append((response.status_code, response.json()))
            calls[name].append(made)
    assert answers["known"] == answers["unknown"]
    assert calls["known"] == calls["unknown"], calls
    for made in calls["known"][:5]:
        assert made == {"DynamoDB_20120810.BatchGetItem": 1, "DynamoDB_20120810.TransactWriteItems Update": 1}
    # A locked try reads and writes nothing more, alike.
    assert calls["known"][5] == {"DynamoDB_20120810.BatchGetItem": 1}

    # Tries against the unknown identifier never get in the way of its secret: it is issued,
    # the stranger's lock ends with it, and its holder activates.
    issued, _ = issue(stack, "cers", unknown)
    assert issued.status_code == 201, issued.text
    holder, _, _ = new_user(stack)
    assert activate(stack, holder, "cers", unknown, issued.json()["shared_secret"]).status_code == 201


def test_new_code_requests_answer_alike_and_call_the_store_alike_whatever_the_identifier(stack):
    token, _, _ = new_user(stack)
    identifier = new_identifier("emanifest")
    issue(stack, "emanifest", identifier)
    ask_new_code(stack, token, "emanifest", new_identifier("emanifest"))  # the instance is warm

    def operations(made):
        ops = {}
        for call, n in made.items():
            op = call.split(" ")[0]
            ops[op] = ops.get(op, 0) + n
        return ops

    before = table_snapshot(stack)
    unknown, unknown_calls = calls_made(stack, "request-activation-code",
                                        lambda: ask_new_code(stack, token, "emanifest", new_identifier("emanifest")))
    # Only the caller's own count of requests moved.
    changed = [i for i in table_snapshot(stack) if i not in before]
    assert len(changed) == 1 and '"CODES"' in changed[0] and '"RATE#' in changed[0], changed
    known, known_calls = calls_made(stack, "request-activation-code",
                                    lambda: ask_new_code(stack, token, "emanifest", identifier))
    again, again_calls = calls_made(stack, "request-activation-code",
                                    lambda: ask_new_code(stack, token, "emanifest", identifier))
    assert unknown.json() == known.json() == again.json()
    assert operations(unknown_calls) == operations(known_calls) == operations(again_calls) == {
        "DynamoDB_20120810.BatchGetItem": 1, "DynamoDB_20120810.TransactWriteItems": 1}


# ---------------------------------------------------------------- the identifier's own count


def test_wrong_tries_piling_up_are_told_to_the_contact_and_the_agency_once_a_day(stack):
    identifier = new_identifier("cers")
    issued, order = issue(stack, "cers", identifier)
    good = issued.json()["shared_secret"]
    # Six strangers, five wrong tries each: 30, past 25, and never a lock for the identifier.
    strangers = [new_user(stack)[0] for _ in range(6)]
    for stranger in strangers:
        statuses = [activate(stack, stranger, "cers", identifier, WRONG).status_code for _ in range(5)]
        assert statuses == [403, 403, 403, 403, 423], statuses
    assert int(ident_item(stack, "cers", identifier)["failures"]) == 30

    def told(address):
        return [m for m in mail_to(stack, address)
                if m["subject"].startswith("Wrong activation codes are being tried") and identifier in m["body"]]

    [to_contact] = told(order["email"])
    [to_agency] = told(AGENCY_NOTICE_EMAIL)
    assert "26 wrong activation codes" in to_contact["body"] and "not locked" in to_contact["body"]
    assert good not in to_contact["body"] and good not in to_agency["body"]
    # Once a day: the tries after the 26th told nobody again.
    holder, _, _ = new_user(stack)
    assert activate(stack, holder, "cers", identifier, good).status_code == 201


# ---------------------------------------------------------------- new codes


def test_a_request_for_a_new_code_never_kills_the_code_in_hand(stack):
    identifier = new_identifier("emanifest")
    issued, order = issue(stack, "emanifest", identifier)
    in_hand = issued.json()["shared_secret"]
    stranger, _, _ = new_user(stack)
    ask_new_code(stack, stranger, "emanifest", identifier)
    mails = mail_to(stack, order["email"])
    codes = [SECRET_RE.search(m["body"]).group(1) for m in mails if SECRET_RE.search(m["body"])]
    assert codes[0] == in_hand and len(codes) == 2
    new = codes[1]
    # The contact is told a new code was asked for (and that the one they hold still works).
    [asked] = [m for m in mails if m["subject"].startswith("A new activation code was asked for")]
    assert identifier in asked["body"] and new not in asked["body"] and in_hand not in asked["body"]

    # At most one new code a day: asking again (anyone, any number of times) sends nothing.
    for _ in range(3):
        ask_new_code(stack, stranger, "emanifest", identifier)
    ask_new_code(stack, new_user(stack)[0], "emanifest", identifier)
    assert len(mail_to(stack, order["email"])) == len(mails)

    # The code in hand still works, and using it consumes the identifier's secret: the newer
    # code is used up with it.
    holder, _, _ = new_user(stack)
    assert activate(stack, holder, "emanifest", identifier, in_hand).status_code == 201
    assert_problem(activate(stack, new_user(stack)[0], "emanifest", identifier, new), 410)
    assert "earlier" not in ident_item(stack, "emanifest", identifier)


def test_a_new_code_withdraws_the_unmailed_letter_and_keeps_the_mailed_one(stack):
    token, _, _ = new_user(stack)
    bn = new_bn9()
    assert put_register(stack, officer(stack), bn, address="1 rue Principale\nGatineau QC  J8X 1A1",
                        name="Les Transports Boréal inc.").status_code == 200
    registered = stack.call("POST", "/registrations", token=token, json={
        "program": "ttp", "business_number": bn, "legal_name": "Les Transports Boréal inc.",
        "mailing_address": "1 rue Principale\nGatineau QC  J8X 1A1"})
    assert registered.status_code == 202, registered.text
    [first] = [l for l in pending_letters(stack) if l["business_number"] == bn]
    client_number = first["business_identifier"]
    [first] = letters_for(stack, client_number)
    unmailed = pending_code(stack, first["letter_id"])

    # A stranger asks for a new code before the first letter is mailed: the first letter is
    # withdrawn (never mailed, its code gone from the table) and a new one waits.
    stranger, _, _ = new_user(stack)
    ask_new_code(stack, stranger, "ttp", client_number)
    letters = {l["letter_id"]: l for l in letters_for(stack, client_number)}
    assert len(letters) == 2
    first_now = letters.pop(first["letter_id"])
    [second] = letters.values()
    assert first_now["status"] == "withdrawn" and "sealed_secret" not in first_now
    assert first_now.get("gsi1pk") != "LETTERS#pending"
    assert all(l["letter_id"] != first["letter_id"] for l in pending_letters(stack))
    assert second["status"] == "pending" and second["sealed_secret"]
    assert_problem(stack.call("POST", f"/agency/letters/{first['letter_id']}/mailed", token=officer(stack)), 409)
    mailed_code = pending_code(stack, second["letter_id"])
    assert stack.call("POST", f"/agency/letters/{second['letter_id']}/mailed",
                      token=officer(stack)).status_code == 200

    # Within the day, nothing more: no letter, nothing changed for the identifier.
    before = ident_item(stack, "ttp", client_number)
    ask_new_code(stack, stranger, "ttp", client_number)
    assert len(letters_for(stack, client_number)) == 2
    assert ident_item(stack, "ttp", client_number) == before

    # A day later another code is asked for: the mailed letter's code is in someone's hand and
    # keeps working; the withdrawn letter's code never works.
    stack.table.update_item(Key={"pk": f"IDENT#ttp#{client_number}", "sk": "SECRET"},
                            UpdateExpression="SET renewed_at = :day_ago",
                            ExpressionAttributeValues={":day_ago": int(before["renewed_at"]) - 86_400})
    ask_new_code(stack, stranger, "ttp", client_number)
    statuses = {l["letter_id"]: l["status"] for l in letters_for(stack, client_number)}
    assert statuses.pop(first["letter_id"]) == "withdrawn"
    assert statuses.pop(second["letter_id"]) == "mailed"
    assert list(statuses.values()) == ["pending"]
    assert_problem(activate(stack, stranger, "ttp", client_number, unmailed), 403)
    assert activate(stack, token, "ttp", client_number, mailed_code).status_code == 201


def test_an_agency_issue_replaces_every_earlier_code(stack):
    identifier = new_identifier("emanifest")
    issued, order = issue(stack, "emanifest", identifier)
    first = issued.json()["shared_secret"]
    ask_new_code(stack, new_user(stack)[0], "emanifest", identifier)
    codes = [SECRET_RE.search(m["body"]).group(1) for m in mail_to(stack, order["email"]) if SECRET_RE.search(m["body"])]
    assert len(codes) == 2
    latest = issue(stack, "emanifest", identifier, email=order["email"])[0].json()["shared_secret"]
    token, _, _ = new_user(stack)
    for dead in codes:
        assert_problem(activate(stack, token, "emanifest", identifier, dead), 403)
    assert activate(stack, token, "emanifest", identifier, latest).status_code == 201
    assert codes[0] == first
