"""TTP registration end to end, as an attacker with a credential of their own would try it: the
Client Number never comes back over HTTP, the letter goes to the address in the agency's business
register (or waits in review for an officer), a Business Number registers once without saying so;
and the officers' letter queue, business register and agency audit, which only officers reach."""

import json
import uuid

from test_businesses import SECRET_RE, activate, new_bn9, new_user, officer
from test_users import assert_problem, damm_digit, table_snapshot

ATTACKER_ADDRESS = "13 Rue du Piège\nMontréal QC  H2X 1Y4"
REGISTER_ADDRESS = "100 Wellington St\nOttawa ON  K1A 0A9"


def officer_named(stack):
    sub = f"officer-{uuid.uuid4()}"
    return sub, stack.token(sub, roles=["agency-officer"])


def register(stack, token, bn, address=ATTACKER_ADDRESS, name="Northern Freight Ltd."):
    return stack.call("POST", "/registrations", token=token, json={
        "program": "ttp", "business_number": bn, "legal_name": name, "mailing_address": address})


def put_register(stack, token, bn, address=REGISTER_ADDRESS, name="Northern Freight Ltd."):
    return stack.call("PUT", f"/agency/business-register/{bn}", token=token,
                      json={"legal_name": name, "mailing_address": address})


def letters_of(stack, bn, status, token=None):
    """Every letter of a Business Number in one status, read page by page as an officer."""
    found, cursor, token = [], None, token or officer(stack)
    while True:
        path = f"/agency/letters?status={status}" + (f"&cursor={cursor}" if cursor else "")
        page = stack.call("GET", path, token=token)
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["letters"]) <= 100
        assert all(letter["status"] == status for letter in body["letters"])
        found += [letter for letter in body["letters"] if letter["business_number"] == bn]
        cursor = body["next_cursor"]
        if not cursor:
            return found


def audit_events(stack, officer_sub, pages=20):
    """The agency audit's events of one officer, newest first."""
    events, cursor, token = [], None, officer(stack)
    for _ in range(pages):
        page = stack.call("GET", "/agency/audit" + (f"?cursor={cursor}" if cursor else ""), token=token)
        assert page.status_code == 200, page.text
        events += [e for e in page.json()["events"] if e["officer_sub"] == officer_sub]
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    return events


def letter_item(stack, letter_id):
    return stack.table.get_item(Key={"pk": f"LETTER#{letter_id}", "sk": "LETTER"}, ConsistentRead=True)["Item"]


def test_a_registration_answers_202_without_a_client_number_and_mails_to_the_register(stack):
    officer_sub, officer_token = officer_named(stack)
    bn = new_bn9()
    edited = put_register(stack, officer_token, bn)
    assert edited.status_code == 200, edited.text
    assert edited.json()["business_number"] == bn and edited.json()["updated_by"] == officer_sub

    token, user, _ = new_user(stack)
    registered = register(stack, token, bn)
    assert registered.status_code == 202, registered.text
    assert registered.json() == {"status": "received"}

    # The letter goes to the register's address, with the Client Number and the code.
    [letter] = letters_of(stack, bn, "pending", officer_token)
    assert letter["mailing_address"] == REGISTER_ADDRESS and letter["registered_by"] == user["urn"]
    client_number, code = letter["business_identifier"], letter["shared_secret"]
    assert client_number not in registered.text and SECRET_RE.fullmatch(code)
    assert letters_of(stack, bn, "review") == []
    assert code not in json.dumps(letter_item(stack, letter["letter_id"]), default=str)

    # The code works with the Client Number the letter carries.
    assert activate(stack, token, "ttp", client_number, code).status_code == 201

    # The officer's register edit is in the agency audit, and so is their read of the pending
    # codes (this one among them), each kept in the partition of its month.
    events = audit_events(stack, officer_sub)
    assert events[-1]["action"] == "register.edited" and events[-1]["concerned"] == [bn]
    assert any(e["action"] == "letters.codes_read" and client_number in e["concerned"] for e in events)
    stored = [i for i in stack.scan() if i.get("officer_sub") == officer_sub]
    assert len(stored) == len(events)
    assert all(i["pk"] == f"AGENCYAUDIT#{i['at'][:7]}" for i in stored)


def test_an_attacker_registering_a_stranger_s_business_number_gets_nothing(stack):
    """Attack 4: the attacker types a Business Number that is not theirs and their own address."""
    bn = new_bn9()
    attacker, attacker_user, _ = new_user(stack)
    first = register(stack, attacker, bn)
    assert first.status_code == 202, first.text

    # Not on the register: the letter waits in review, without its code, for an officer to see
    # the Business Number, the address typed and who typed it.
    assert letters_of(stack, bn, "pending") == []
    [letter] = letters_of(stack, bn, "review")
    assert letter["mailing_address"] == ATTACKER_ADDRESS and letter["registered_by"] == attacker_user["urn"]
    assert letter["shared_secret"] is None
    # No code works for the Client Number while its letter is in review, and a new-code request
    # for it (were the Client Number guessed) sends nothing to the address typed.
    secret_key = {"pk": f"IDENT#ttp#{letter['business_identifier']}", "sk": "SECRET"}
    assert "issue" not in stack.table.get_item(Key=secret_key, ConsistentRead=True)["Item"]
    asked = stack.call("POST", "/activation-code-requests", token=attacker,
                       json={"program": "ttp", "business_identifier": letter["business_identifier"]})
    assert asked.status_code == 202, asked.text
    assert letters_of(stack, bn, "pending") == []

    # The real business (or anyone) registering again is answered exactly alike, and nothing
    # is written or sent.
    real, _, _ = new_user(stack)
    before = table_snapshot(stack)
    mails = len(stack.sent_mail())
    again = register(stack, real, bn, address=REGISTER_ADDRESS)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert register(stack, attacker, bn).json() == first.json()
    assert table_snapshot(stack) == before and len(stack.sent_mail()) == mails

    # The officer rejects the attacker's letter: withdrawn, its code dropped and dead, and the
    # Business Number free for the real business.
    officer_sub, officer_token = officer_named(stack)
    rejected = stack.call("POST", f"/agency/letters/{letter['letter_id']}/reject", token=officer_token,
                          json={"reason": "Not the business's address on file."})
    assert rejected.status_code == 200, rejected.text
    stored = letter_item(stack, letter["letter_id"])
    assert stored["status"] == "withdrawn" and "sealed_secret" not in stored
    secret = stack.table.get_item(Key=secret_key, ConsistentRead=True)["Item"]
    assert "issue" not in secret and "secret_status" not in secret
    [withdrawn] = letters_of(stack, bn, "withdrawn")
    assert withdrawn["letter_id"] == letter["letter_id"] and withdrawn["shared_secret"] is None
    assert_problem(stack.call("POST", f"/agency/letters/{letter['letter_id']}/reject", token=officer_token,
                              json={"reason": "again"}), 409)
    assert_problem(stack.call("POST", f"/agency/letters/{letter['letter_id']}/approve", token=officer_token), 409)
    assert_problem(stack.call("POST", f"/agency/letters/{letter['letter_id']}/mailed", token=officer_token), 409)

    # Now on the register: the real business's registration is mailed to the register's address.
    assert put_register(stack, officer_token, bn).status_code == 200
    assert register(stack, real, bn, address=REGISTER_ADDRESS).json() == first.json()
    [mailed] = letters_of(stack, bn, "pending")
    assert mailed["mailing_address"] == REGISTER_ADDRESS
    assert mailed["business_identifier"] != letter["business_identifier"]

    actions = [(e["action"], tuple(e["concerned"])) for e in audit_events(stack, officer_sub)]
    assert actions == [("register.edited", (bn,)), ("letter.rejected", (letter["business_identifier"], bn))]


def test_an_officer_approves_a_letter_in_review_and_marks_it_mailed(stack):
    bn = new_bn9()
    token, _, _ = new_user(stack)
    assert register(stack, token, bn).status_code == 202
    [letter] = letters_of(stack, bn, "review")
    officer_sub, officer_token = officer_named(stack)
    path = f"/agency/letters/{letter['letter_id']}"

    # A bad address is refused by its field, and nothing changes.
    assert_problem(stack.call("POST", f"{path}/approve", token=officer_token, json={"mailing_address": ""}), 422)
    approved = stack.call("POST", f"{path}/approve", token=officer_token,
                          json={"mailing_address": "5 Verified Rd\nOttawa ON"})
    assert approved.status_code == 200, approved.text
    assert approved.json() == {"letter_id": letter["letter_id"], "status": "pending"}
    assert_problem(stack.call("POST", f"{path}/approve", token=officer_token), 409)
    assert_problem(stack.call("POST", f"{path}/reject", token=officer_token, json={"reason": "late"}), 409)

    [pending] = letters_of(stack, bn, "pending")
    assert pending["mailing_address"] == "5 Verified Rd\nOttawa ON" and SECRET_RE.fullmatch(pending["shared_secret"])
    # The approved address is the one on file: a new code would go there, not to the one typed.
    secret = stack.table.get_item(Key={"pk": f"IDENT#ttp#{pending['business_identifier']}", "sk": "SECRET"},
                                  ConsistentRead=True)["Item"]
    assert secret["issue"]["mailing_address"] == "5 Verified Rd\nOttawa ON" and secret["secret_status"] == "issued"
    assert stack.call("POST", f"{path}/mailed", token=officer_token).status_code == 200
    [mailed] = letters_of(stack, bn, "mailed")
    assert mailed["shared_secret"] is None and "sealed_secret" not in letter_item(stack, letter["letter_id"])

    assert activate(stack, token, "ttp", pending["business_identifier"], pending["shared_secret"]).status_code == 201
    concerned = (letter["business_identifier"], bn)
    actions = [(e["action"], tuple(e["concerned"])) for e in audit_events(stack, officer_sub)]
    assert actions == [("letter.mailed", concerned), ("letter.approved", concerned)], actions


def test_issuing_a_secret_is_in_the_agency_audit(stack):
    officer_sub, officer_token = officer_named(stack)
    identifier = "".join(uuid.uuid4().hex[:4]).upper()
    issued = stack.call("POST", "/agency/shared-secrets", token=officer_token, json={
        "program": "emanifest", "business_identifier": identifier, "legal_name": "Audit Freight Ltd.",
        "mailing_address": REGISTER_ADDRESS, "email": f"c.{uuid.uuid4().hex[:8]}@example.com"})
    assert issued.status_code == 201, issued.text
    [event] = audit_events(stack, officer_sub)
    assert event["action"] == "secret.issued" and event["concerned"] == [identifier]
    assert event["officer_idp"] == "gckey" and issued.json()["shared_secret"] not in json.dumps(event)


def test_letter_pages_hold_at_most_100_and_cursors_stay_in_their_status(stack):
    officer_token = officer(stack)
    first = stack.call("GET", "/agency/letters?status=pending", token=officer_token).json()
    # Enough pending letters for a second page (TTP secrets go by letter).
    for _ in range(0 if first["next_cursor"] else 101 - len(first["letters"])):
        digits = f"{uuid.uuid4().int % 10**7:07d}"
        body = {"program": "ttp", "business_identifier": f"P{digits}{damm_digit(digits)}",
                "legal_name": "Paging Ltd.", "mailing_address": REGISTER_ADDRESS}
        stack.call("POST", "/agency/shared-secrets", token=officer_token, json=body)
    first = stack.call("GET", "/agency/letters?status=pending", token=officer_token).json()
    assert len(first["letters"]) == 100 and first["next_cursor"]
    second = stack.call("GET", f"/agency/letters?status=pending&cursor={first['next_cursor']}", token=officer_token)
    assert second.status_code == 200, second.text
    ids = {letter["letter_id"] for letter in first["letters"]}
    assert ids.isdisjoint(letter["letter_id"] for letter in second.json()["letters"])
    stamps = [letter["created_at"] for letter in first["letters"] + second.json()["letters"]]
    assert stamps == sorted(stamps)  # oldest first, across pages

    # A cursor is for its own status only, and nothing else is one.
    made_for_mailed = ("mailed|" + bytes.fromhex(first["next_cursor"]).decode().split("|", 1)[1]).encode().hex()
    for status, cursor in [("mailed", first["next_cursor"]), ("withdrawn", first["next_cursor"]),
                           ("pending", made_for_mailed), ("pending", "zz"), ("pending", "")]:
        response = stack.call("GET", f"/agency/letters?status={status}&cursor={cursor}", token=officer_token)
        assert_problem(response, 422)
    assert_problem(stack.call("GET", "/agency/letters?status=all", token=officer_token), 422)


def test_agency_audit_pages_newest_first(stack):
    officer_sub, officer_token = officer_named(stack)
    bns = [new_bn9() for _ in range(3)]
    for bn in bns:
        assert put_register(stack, officer_token, bn).status_code == 200
    events = audit_events(stack, officer_sub)
    assert [e["concerned"] for e in events] == [[bn] for bn in reversed(bns)]
    assert [e["at"] for e in events] == sorted((e["at"] for e in events), reverse=True)
    page = stack.call("GET", "/agency/audit", token=officer_token).json()
    assert len(page["events"]) <= 50
    for bad in ["zz", "", "41", "323032362d3133"]:  # not hex pairs; not a cursor; month 13
        assert_problem(stack.call("GET", f"/agency/audit?cursor={bad}", token=officer_token), 422)


def test_agency_routes_refuse_everyone_but_officers(stack):
    """A user with a credential and nothing else: every officer route is 403 and changes nothing."""
    bn = new_bn9()
    token, _, _ = new_user(stack)
    assert register(stack, token, bn).status_code == 202
    [letter] = letters_of(stack, bn, "review")
    before = table_snapshot(stack)
    path = f"/agency/letters/{letter['letter_id']}"
    for method, route, body in [
        ("PUT", f"/agency/business-register/{bn}", {"legal_name": "Mine", "mailing_address": ATTACKER_ADDRESS}),
        ("POST", f"{path}/approve", {"mailing_address": ATTACKER_ADDRESS}),
        ("POST", f"{path}/reject", {"reason": "mine"}),
        ("POST", f"{path}/mailed", None),
        ("GET", "/agency/letters?status=review", None),
        ("GET", "/agency/letters?status=pending", None),
        ("GET", "/agency/audit", None),
    ]:
        assert_problem(stack.call(method, route, token=token, json=body), 403)
    assert table_snapshot(stack) == before
    # Officers get 404 for a letter that does not exist.
    unknown = "a" * 26
    assert_problem(stack.call("POST", f"/agency/letters/{unknown}/approve", token=officer(stack)), 404)
    assert_problem(stack.call("POST", f"/agency/letters/{unknown}/reject", token=officer(stack),
                              json={"reason": "x"}), 404)
    # A mistyped Business Number is refused by its field.
    assert_problem(put_register(stack, officer(stack), "123456789"), 422)


def search(stack, token, query):
    return stack.call("GET", f"/agency/letters?{query}", token=token)


def test_an_officer_finds_one_business_s_letters_by_client_number_or_business_number(stack):
    """The officers' search reads the identifier's own list: that business's letters and no
    other's, every status or the one asked, newest first; codes read are in the agency audit."""
    officer_sub, officer_token = officer_named(stack)
    bn, other_bn = new_bn9(), new_bn9()
    for b in (bn, other_bn):
        assert put_register(stack, officer_token, b).status_code == 200
        token, _, _ = new_user(stack)
        assert register(stack, token, b).status_code == 202
    found = search(stack, officer_token, f"business_number={bn}")
    assert found.status_code == 200, found.text
    [letter] = found.json()["letters"]
    assert letter["business_number"] == bn and letter["status"] == "pending"
    assert SECRET_RE.fullmatch(letter["shared_secret"]) and found.json()["next_cursor"] is None
    client_number = letter["business_identifier"]
    by_client_number = search(stack, officer_token, f"program=ttp&identifier={client_number.lower()}")
    assert [l["letter_id"] for l in by_client_number.json()["letters"]] == [letter["letter_id"]]
    assert search(stack, officer_token, f"business_number={bn}&status=pending").json()["letters"] == [letter]
    assert search(stack, officer_token, f"business_number={bn}&status=mailed").json()["letters"] == []
    assert any(e["action"] == "letters.codes_read" and e["concerned"] == [client_number]
               for e in audit_events(stack, officer_sub))

    # A second code for the same Client Number replaces the first: both are found, newest first.
    issued = stack.call("POST", "/agency/shared-secrets", token=officer_token, json={
        "program": "ttp", "business_identifier": client_number, "legal_name": "Northern Freight Ltd.",
        "mailing_address": REGISTER_ADDRESS})
    assert issued.status_code == 201, issued.text
    both = search(stack, officer_token, f"program=ttp&identifier={client_number}").json()["letters"]
    assert [l["status"] for l in both] == ["pending", "withdrawn"]
    assert both[1]["letter_id"] == letter["letter_id"] and both[1]["shared_secret"] is None
    assert [l["created_at"] for l in both] == sorted((l["created_at"] for l in both), reverse=True)
    # The Business Number finds them too (through the Client Number its registration was given).
    assert search(stack, officer_token, f"business_number={bn}").json()["letters"] == both
    # Another business's letters are not among them.
    [other] = search(stack, officer_token, f"business_number={other_bn}").json()["letters"]
    assert other["letter_id"] not in {l["letter_id"] for l in both}

    # An identifier with no letters: an empty answer. Bad searches are refused by their field.
    digits = f"{uuid.uuid4().int % 10**7:07d}"
    assert search(stack, officer_token, f"program=ttp&identifier=P{digits}{damm_digit(digits)}").json() \
        == {"letters": [], "next_cursor": None}
    for bad in [f"business_number={bn}&cursor=41", "business_number=123456789", "identifier=P1",
                f"program=ttp&identifier={client_number}&business_number={bn}", f"business_number={bn}&status=all"]:
        assert_problem(search(stack, officer_token, bad), 422)


def test_a_stranger_or_an_officer_without_a_second_factor_cannot_search_letters(stack):
    """Attacker with a credential of their own, searching someone else's Business Number."""
    bn = new_bn9()
    owner, _, _ = new_user(stack)
    assert register(stack, owner, bn).status_code == 202
    [letter] = letters_of(stack, bn, "review")
    client_number = letter["business_identifier"]
    stranger, _, _ = new_user(stack)
    before = table_snapshot(stack)
    no_mfa = stack.token(f"officer-{uuid.uuid4()}", roles=["agency-officer"], amr=["pwd"])
    for query in [f"business_number={bn}", f"program=ttp&identifier={client_number}"]:
        assert_problem(search(stack, stranger, query), 403)
        assert_problem(search(stack, owner, query), 403)
        assert_problem(search(stack, no_mfa, query), 401)
    assert table_snapshot(stack) == before
