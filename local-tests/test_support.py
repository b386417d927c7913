"""The support desk end to end: an officer with a second factor identifies a caller by URN and
finds a business by its identifier or Business Number; every look-up, found or not, is in the
agency audit. Nobody else learns anything from these routes: a person with a credential of
their own gets 403 for anyone's URN or identifier, an officer without a second factor 401."""

import random
import time
import uuid

from test_businesses import activate, authorize, issue, new_bn9, new_identifier, new_user
from test_members import put
from test_registration import audit_events, register
from test_step_up import assert_challenge
from test_users import assert_problem, damm_digit, table_snapshot


def officer_named(stack, **claims):
    sub = f"officer-{uuid.uuid4()}"
    return sub, stack.token(sub, roles=["agency-officer"], **claims)


def unknown_urn():
    # A URN never starts with 0 (the edge refuses one that does: 422, not 404).
    digits = random.choice("123456789") + "".join(random.choice("0123456789") for _ in range(8))
    return digits + damm_digit(digits)


def test_an_officer_identifies_a_caller_by_urn_and_every_look_up_is_audited(stack):
    owner, owner_user, _ = new_user(stack)
    identifier = new_identifier("emanifest")
    issued, _ = issue(stack, "emanifest", identifier)
    business_id = activate(stack, owner, "emanifest", identifier, issued.json()["shared_secret"]).json()["business_id"]
    authorize(stack, owner, business_id, "emanifest")
    caller, caller_user, caller_profile = new_user(stack, language="fr")
    assert put(stack, owner, business_id, caller_user["urn"], "proxy").status_code == 200

    sub, officer = officer_named(stack)
    found = stack.call("GET", f"/agency/users/{caller_user['urn']}", token=officer)
    assert found.status_code == 200, found.text
    card = found.json()
    assert card["urn"] == caller_user["urn"] and card["name"] == caller_profile["name"]
    assert card["email"] == caller_profile["email"] and card["language"] == "fr"
    assert card["credential_kind"] == "gckey" and card["status"] == "active"
    # Activity is recorded by the day (dormant accounts): the start of today, UTC.
    today = time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime())
    assert card["created_at"] and card["last_active_at"] == today
    assert card["businesses"] == [{
        "business_id": business_id, "program": "emanifest", "business_identifier": identifier,
        "legal_name": f"Northern Freight {identifier} Ltd.", "status": "authorized", "role": "proxy",
    }]
    # Someone with no business.
    lone, lone_user, _ = new_user(stack)
    assert stack.call("GET", f"/agency/users/{lone_user['urn']}", token=officer).json()["businesses"] == []

    nobody = unknown_urn()
    assert_problem(stack.call("GET", f"/agency/users/{nobody}", token=officer), 404)
    # A mistyped URN is refused before anything is read or recorded.
    assert_problem(stack.call("GET", f"/agency/users/{nobody[:-1]}{(int(nobody[-1]) + 1) % 10}", token=officer), 422)

    looked_up = [e for e in audit_events(stack, sub) if e["action"] == "user.looked_up"]
    assert [e["concerned"] for e in looked_up] == [[nobody], [lone_user["urn"]], [caller_user["urn"]]]


def test_an_officer_finds_a_business_by_identifier_or_business_number(stack):
    sub, officer = officer_named(stack)

    def look_up(query, status=200):
        answer = stack.call("GET", f"/agency/businesses?{query}", token=officer)
        assert answer.status_code == status, answer.text
        return answer.json()

    identifier = new_identifier("emanifest")
    assert look_up(f"program=emanifest&identifier={identifier}", 404)
    issued, _ = issue(stack, "emanifest", identifier)
    waiting = look_up(f"program=emanifest&identifier={identifier}")
    assert waiting["status"] == "issued" and waiting["business_id"] is None and waiting["members"] == 0
    assert waiting["secret"]["purpose"] == "activation" and waiting["owner"] is None
    assert issued.json()["shared_secret"] not in str(waiting)

    owner, owner_user, owner_profile = new_user(stack)
    business_id = activate(stack, owner, "emanifest", identifier, issued.json()["shared_secret"]).json()["business_id"]
    active = look_up(f"program=emanifest&identifier={identifier}")
    assert active["status"] == "activated" and active["business_id"] == business_id
    assert active["owner"] == {"urn": owner_user["urn"], "name": owner_profile["name"]}
    assert active["members"] == 1 and active["secret"] is None
    assert active["legal_name"] == f"Northern Freight {identifier} Ltd."
    # An owner-recovery secret waiting shows as one.
    assert issue(stack, "emanifest", identifier)[0].json()["purpose"] == "recovery"
    assert look_up(f"program=emanifest&identifier={identifier}")["secret"]["purpose"] == "recovery"

    # A TTP registration by its Business Number: the Client Number the applicant never saw.
    applicant, _, _ = new_user(stack)
    bn = new_bn9()
    assert register(stack, applicant, bn).status_code == 202
    registered = look_up(f"business_number={bn}")
    assert registered["program"] == "ttp" and registered["business_number"] == bn
    assert registered["business_identifier"].startswith("P") and registered["status"] == "issued"
    assert registered["letter"]["status"] == "review" and registered["secret"] is None
    assert look_up(f"program=ttp&identifier={registered['business_identifier']}")["business_number"] == bn
    assert look_up(f"business_number={new_bn9()}", 404)

    assert_problem(stack.call("GET", "/agency/businesses?program=emanifest", token=officer), 422)
    mistyped = bn[:-1] + str((int(bn[-1]) + 1) % 10)
    assert_problem(stack.call("GET", f"/agency/businesses?business_number={mistyped}", token=officer), 422)
    concerned = [e["concerned"][0] for e in audit_events(stack, sub) if e["action"] == "business.looked_up"]
    assert concerned.count(identifier) == 4 and concerned.count(bn) == 1


def test_the_support_desk_answers_officers_with_a_second_factor_only(stack):
    owner, owner_user, _ = new_user(stack)
    identifier = new_identifier("emanifest")
    issue(stack, "emanifest", identifier)
    routes = [f"/agency/users/{owner_user['urn']}", f"/agency/businesses?program=emanifest&identifier={identifier}",
              f"/agency/businesses?business_number={new_bn9()}"]
    # A stranger with a credential of their own (even with a second factor), or the person
    # themselves: 403, nothing learnt, nothing recorded.
    stranger, _, _ = new_user(stack)
    before = table_snapshot(stack)
    for path in routes:
        for token in (stranger, owner, stack.token(f"x-{uuid.uuid4()}", amr=["pwd", "mfa"])):
            assert_problem(stack.call("GET", path, token=token), 403)
    # An officer without a second factor: the RFC 9470 challenge.
    _, weak = officer_named(stack, amr=["pwd"])
    for path in routes:
        assert_challenge(stack.call("GET", path, token=weak), 'acr_values="mfa"')
    assert table_snapshot(stack) == before
