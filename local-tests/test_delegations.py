"""Delegation between business accounts (issue #17), end to end: one business's owner offers a
delegation (or asks for one) by the other's program and identifier, the other's owner answers,
either ends it, both list it with who did what, both audit trails record each step, and the
daily sweep records what passed its end day. An attacker with a free credential and a business
of their own tries every route against someone else's delegation."""

import datetime
import json
import time
import uuid

import requests

from test_businesses import PROGRAM_TERMS, activated_business, authorize, new_identifier, new_user
from test_members import audit_actions, put
from test_users import assert_problem, table_snapshot

EVENTS_DIR = __import__("pathlib").Path(__file__).resolve().parent.parent / "events"


def business(stack, program="emanifest"):
    """An authorized business: (owner token, owner user, business id, identifier)."""
    token, user, business_id, identifier = activated_business(stack, program)
    authorize(stack, token, business_id, program)
    return token, user, business_id, identifier


def day(plus_days):
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=plus_days)).isoformat()


def terms(identifier, program="emanifest", **extra):
    body = {"program": program, "business_identifier": identifier, "permissions": "view_submit",
            "ends_on": day(180), "note": "Customs broker for the Windsor crossing"}
    body.update(extra)
    return body


def offer(stack, token, business_id, identifier, **extra):
    return stack.call("POST", f"/businesses/{business_id}/delegations", token=token, json=terms(identifier, **extra))


def ask(stack, token, business_id, identifier, **extra):
    return stack.call("POST", f"/businesses/{business_id}/delegation-requests", token=token,
                      json=terms(identifier, **extra))


def accept(stack, token, business_id, delegation_id):
    return stack.call("POST", f"/businesses/{business_id}/delegations/{delegation_id}/accept", token=token)


def end(stack, token, business_id, delegation_id):
    return stack.call("DELETE", f"/businesses/{business_id}/delegations/{delegation_id}", token=token)


def listed(stack, token, business_id, direction=None):
    path = f"/businesses/{business_id}/delegations" + (f"?direction={direction}" if direction else "")
    response = stack.call("GET", path, token=token)
    assert response.status_code == 200, response.text
    return {d["delegation_id"]: d for d in response.json()}


def pair(stack):
    """Two authorized businesses: the grantor A and the grantee B."""
    return business(stack), business(stack)


def offered_and_accepted(stack):
    (a_token, _, a_id, a_ident), (b_token, b_user, b_id, b_ident) = pair(stack)
    response = offer(stack, a_token, a_id, b_ident)
    assert response.status_code == 202, response.text
    delegation_id = response.json()["delegation_id"]
    assert accept(stack, b_token, b_id, delegation_id).status_code == 200
    return (a_token, a_id, a_ident), (b_token, b_id, b_ident), delegation_id


# ---------------------------------------------------------------- offer, accept, end


def test_an_offer_waits_for_the_grantees_owner_then_both_see_it_active(stack):
    (a_token, a_user, a_id, a_ident), (b_token, b_user, b_id, b_ident) = pair(stack)
    response = offer(stack, a_token, a_id, b_ident)
    assert response.status_code == 202, response.text
    body = response.json()
    delegation_id = body["delegation_id"]
    assert body["status"] == "pending" and body["direction"] == "given"
    assert body["grantee"] == {"program": "emanifest", "business_identifier": b_ident, "legal_name": None}
    assert body["grants"] == ["declarations:view", "declarations:edit", "messages:view"]

    received = listed(stack, b_token, b_id, "received")[delegation_id]
    assert received["status"] == "pending" and received["direction"] == "received"
    assert received["grantor"]["business_identifier"] == a_ident and received["grantor"]["legal_name"]
    assert received["note"] == "Customs broker for the Windsor crossing"
    assert delegation_id not in listed(stack, b_token, b_id, "given")

    accepted = accept(stack, b_token, b_id, delegation_id)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "active"
    for token, business_id in [(a_token, a_id), (b_token, b_id)]:
        d = listed(stack, token, business_id)[delegation_id]
        assert d["status"] == "active" and d["version"] == 2
        assert [(s["action"], s["side"], s["by_urn"]) for s in d["history"]] == [
            ("offered", "grantor", a_user["urn"]), ("accepted", "grantee", b_user["urn"])]
        # The grantee is named in full once it took part.
        assert d["grantee"]["legal_name"]
    # Both trails record both steps (the grant found B's account by its identifier).
    for business_id in [a_id, b_id]:
        actions = audit_actions(stack, business_id)
        assert "delegation.offered" in actions and "delegation.accepted" in actions, actions


def test_either_side_ends_it_and_an_ended_one_stays_ended(stack):
    (a_token, a_id, _), (b_token, b_id, _), delegation_id = offered_and_accepted(stack)
    assert end(stack, b_token, b_id, delegation_id).status_code == 204
    for token, business_id in [(a_token, a_id), (b_token, b_id)]:
        assert listed(stack, token, business_id)[delegation_id]["status"] == "ended"
    assert "delegation.ended" in audit_actions(stack, a_id)
    assert_problem(end(stack, a_token, a_id, delegation_id), 409)
    assert_problem(accept(stack, b_token, b_id, delegation_id), 409)

    (a_token, a_id, _), (_, _, _), other = offered_and_accepted(stack)
    assert end(stack, a_token, a_id, other).status_code == 204
    assert listed(stack, a_token, a_id, "given")[other]["status"] == "ended"


def test_the_grantee_declines_and_the_grantor_withdraws(stack):
    (a_token, _, a_id, _), (b_token, _, b_id, b_ident) = pair(stack)
    declined = offer(stack, a_token, a_id, b_ident).json()["delegation_id"]
    withdrawn = offer(stack, a_token, a_id, b_ident).json()["delegation_id"]
    assert end(stack, b_token, b_id, declined).status_code == 204
    assert end(stack, a_token, a_id, withdrawn).status_code == 204
    given = listed(stack, a_token, a_id, "given")
    assert given[declined]["status"] == "declined" and given[withdrawn]["status"] == "withdrawn"
    # The offering side cannot accept its own offer; a declined one is closed.
    third = offer(stack, a_token, a_id, b_ident).json()["delegation_id"]
    assert_problem(accept(stack, a_token, a_id, third), 409)
    assert_problem(accept(stack, b_token, b_id, declined), 409)


# ---------------------------------------------------------------- request access


def test_the_grantee_asks_and_the_grantors_owner_approves_or_declines(stack):
    (a_token, a_user, a_id, a_ident), (b_token, b_user, b_id, _) = pair(stack)
    response = ask(stack, b_token, b_id, a_ident, permissions="view")
    assert response.status_code == 202, response.text
    asked = response.json()
    assert asked["status"] == "requested" and asked["direction"] == "received"
    assert asked["grants"] == ["declarations:view", "messages:view"]
    delegation_id = asked["delegation_id"]
    given = listed(stack, a_token, a_id, "given")[delegation_id]
    assert given["status"] == "requested" and given["grantee"]["legal_name"]
    # The asking side cannot approve its own request.
    assert_problem(accept(stack, b_token, b_id, delegation_id), 409)
    approved = accept(stack, a_token, a_id, delegation_id)
    assert approved.status_code == 200, approved.text
    assert [s["action"] for s in approved.json()["history"]] == ["requested", "approved"]
    assert listed(stack, b_token, b_id, "received")[delegation_id]["status"] == "active"
    assert "delegation.approved" in audit_actions(stack, b_id)

    declined = ask(stack, b_token, b_id, a_ident).json()["delegation_id"]
    assert end(stack, a_token, a_id, declined).status_code == 204
    assert listed(stack, b_token, b_id, "received")[declined]["status"] == "declined"


# ---------------------------------------------------------------- what a stranger learns


def test_a_grant_or_request_answers_alike_whether_the_identifier_has_an_account(stack):
    (a_token, _, a_id, _), (_, _, _, b_ident) = pair(stack)
    known = offer(stack, a_token, a_id, b_ident)
    unknown = offer(stack, a_token, a_id, new_identifier("emanifest"))
    asked_known = ask(stack, a_token, a_id, b_ident)
    asked_unknown = ask(stack, a_token, a_id, new_identifier("emanifest"))
    for one, other in [(known, unknown), (asked_known, asked_unknown)]:
        assert one.status_code == other.status_code == 202
        strip = lambda body: {k: v for k, v in body.items() if k not in ("delegation_id", "created_at", "history", "grantee", "grantor")}
        assert strip(one.json()) == strip(other.json())
        # The other side is shown only as typed: no legal name, no account id, either way.
        for body in (one.json(), other.json()):
            other_side = body["grantee"] if body["direction"] == "given" else body["grantor"]
            assert other_side["legal_name"] is None and "business_id" not in other_side


def test_an_offer_to_an_identifier_with_no_account_waits_for_the_account_that_takes_it(stack):
    a_token, _, a_id, _ = business(stack)
    later = new_identifier("emanifest")
    delegation_id = offer(stack, a_token, a_id, later).json()["delegation_id"]
    # The identifier gets its account afterwards: its owner finds the offer and accepts it.
    from test_businesses import activate, issue
    issued, _ = issue(stack, "emanifest", later)
    b_token, _, _ = new_user(stack)
    activated = activate(stack, b_token, "emanifest", later, issued.json()["shared_secret"])
    assert activated.status_code == 201, activated.text
    b_id = activated.json()["business_id"]
    authorize(stack, b_token, b_id, "emanifest")
    assert listed(stack, b_token, b_id, "received")[delegation_id]["status"] == "pending"
    assert accept(stack, b_token, b_id, delegation_id).status_code == 200


def test_a_stranger_with_a_business_of_their_own_gets_nothing_of_anothers_delegation(stack):
    (a_token, a_id, _), (b_token, b_id, _), delegation_id = offered_and_accepted(stack)
    c_token, _, c_id, _ = business(stack)
    before = table_snapshot(stack)
    # Through their own business: the delegation is not theirs (404, as for an id that never was).
    for response in [accept(stack, c_token, c_id, delegation_id), end(stack, c_token, c_id, delegation_id),
                     end(stack, c_token, c_id, "01jd0x6m3k2v7q8r9s0t1u2v3w")]:
        assert_problem(response, 404)
    assert delegation_id not in listed(stack, c_token, c_id)
    # Through the parties' paths: not a member (404).
    for business_id in [a_id, b_id]:
        assert_problem(end(stack, c_token, business_id, delegation_id), 404)
        assert_problem(accept(stack, c_token, business_id, delegation_id), 404)
        assert_problem(stack.call("GET", f"/businesses/{business_id}/delegations", token=c_token), 404)
        assert_problem(offer(stack, c_token, business_id, "8ZZZ"), 404)
    # A malformed delegation id names nothing.
    assert_problem(end(stack, b_token, b_id, "not-an-id"), 404)
    assert table_snapshot(stack) == before


def test_only_owners_decide_and_staff_below_proxy_do_not_see(stack):
    (a_token, _, a_id, _), (b_token, _, b_id, b_ident) = pair(stack)
    pending = offer(stack, a_token, a_id, b_ident).json()["delegation_id"]
    staff = {}
    for role in ["proxy", "user", "browser"]:
        token, user, _ = new_user(stack)
        assert put(stack, b_token, b_id, user["urn"], role).status_code == 200
        staff[role] = token
    before = table_snapshot(stack)
    for role, token in staff.items():
        assert_problem(accept(stack, token, b_id, pending), 403)
        assert_problem(end(stack, token, b_id, pending), 403)
        assert_problem(offer(stack, token, b_id, "8ZZZ"), 403)
    assert pending in listed(stack, staff["proxy"], b_id, "received")
    for role in ["user", "browser"]:
        assert_problem(stack.call("GET", f"/businesses/{b_id}/delegations", token=staff[role]), 403)
    assert table_snapshot(stack) == before


# ---------------------------------------------------------------- bad input, recent sign-in


def test_bad_input_is_a_clear_422_and_changes_nothing(stack):
    a_token, _, a_id, a_ident = business(stack)
    before = table_snapshot(stack)
    cases = [
        (terms("8ZZZ", ends_on=day(3 * 366)), "ends_on"),
        (terms("8ZZZ", ends_on=day(0)), "ends_on"),
        (terms("8ZZZ", ends_on="31/12/2027"), "ends_on"),
        (terms("8ZZZ", permissions="everything"), "permissions"),
        (terms("8ZZZ", program="customs"), "program"),
        (terms("not an identifier!"), "business_identifier"),
        (terms(a_ident), "business_identifier"),
        (terms("8ZZZ", note="x" * 501), "note"),
    ]
    for body, field in cases:
        for route in ["delegations", "delegation-requests"]:
            problem = assert_problem(stack.call("POST", f"/businesses/{a_id}/{route}", token=a_token, json=body), 422)
            assert field in [e["field"] for e in problem["errors"]], (route, body, problem)
    assert_problem(stack.call("GET", f"/businesses/{a_id}/delegations?direction=sideways", token=a_token), 422)
    assert_problem(stack.call("POST", f"/businesses/{a_id}/delegations", token=a_token, data="[]"), 400)
    assert table_snapshot(stack) == before


def test_offering_and_accepting_need_a_recent_sign_in_ending_does_not(stack):
    (a_token, a_user, a_id, _), (b_token, b_user, b_id, b_ident) = pair(stack)
    delegation_id = offer(stack, a_token, a_id, b_ident).json()["delegation_id"]
    old = int(time.time()) - 3600
    stale_a = stack.token(a_user_sub(stack, a_user), auth_time=old)
    stale_b = stack.token(a_user_sub(stack, b_user), auth_time=old)
    for response in [offer(stack, stale_a, a_id, b_ident), ask(stack, stale_b, b_id, "8ZZZ"),
                     accept(stack, stale_b, b_id, delegation_id)]:
        assert_problem(response, 401)
        assert "insufficient_user_authentication" in response.headers["www-authenticate"]
    assert end(stack, stale_b, b_id, delegation_id).status_code == 204


def a_user_sub(stack, user):
    """The credential subject behind a user account (the URN index has it)."""
    item = stack.table.get_item(Key={"pk": f"URN#{user['urn']}", "sk": "URN"}, ConsistentRead=True)["Item"]
    return item["sub"]


# ---------------------------------------------------------------- the end day


def run_sweep(stack):
    event = json.loads((EVENTS_DIR / "expire-delegations.json").read_text())
    response = requests.post(f"{stack.info['watch_url']}/2015-03-31/functions/expire-delegations/invocations",
                             data=json.dumps(event), timeout=180)
    assert response.status_code == 200, response.text
    return response.json()


def test_past_its_end_day_a_delegation_has_expired_and_the_daily_sweep_records_it(stack):
    (a_token, a_id, a_ident), (b_token, b_id, b_ident), delegation_id = offered_and_accepted(stack)
    # Its end day was yesterday (as if it had been granted long ago): every copy says so.
    yesterday = day(-1)
    main = {"pk": f"DELEG#{delegation_id}", "sk": "DELEG"}
    copies = [{"pk": f"DELEGS#emanifest#{a_ident}", "sk": f"GIVEN#{delegation_id}"},
              {"pk": f"DELEGS#emanifest#{b_ident}", "sk": f"RECEIVED#{delegation_id}"}]
    assert stack.table.get_item(Key=main)["Item"]["gsi1pk"] == f"DELEGATIONS#ends#{day(180)}"
    stack.table.update_item(Key=main, UpdateExpression="SET ends_on = :d, gsi1pk = :p",
                            ExpressionAttributeValues={":d": yesterday, ":p": f"DELEGATIONS#ends#{yesterday}"})
    for key in copies:
        stack.table.update_item(Key=key, UpdateExpression="SET ends_on = :d", ExpressionAttributeValues={":d": yesterday})
    # Expired at once, before any sweep: listed so, and no longer accepted or ended.
    assert listed(stack, b_token, b_id)[delegation_id]["status"] == "expired"
    assert_problem(end(stack, a_token, a_id, delegation_id), 409)

    summary = run_sweep(stack)
    assert summary["expired"] >= 1, summary
    stored = stack.table.get_item(Key=main, ConsistentRead=True)["Item"]
    assert stored["status"] == "expired" and "gsi1pk" not in stored
    assert stored["history"][-1]["action"] == "expired"
    for key in copies:
        assert stack.table.get_item(Key=key, ConsistentRead=True)["Item"]["status"] == "expired"
    # A second run finds nothing more of it.
    assert run_sweep(stack)["expired"] == 0


# ---------------------------------------------------------------- passing it to staff


def agent(stack, token, business_id, delegation_id, urn, permissions=None):
    body = {"permissions": permissions} if permissions else None
    return stack.call("PUT", f"/businesses/{business_id}/delegations/{delegation_id}/agents/{urn}", token=token, json=body)


def unassign(stack, token, business_id, delegation_id, urn):
    return stack.call("DELETE", f"/businesses/{business_id}/delegations/{delegation_id}/agents/{urn}", token=token)


def my_businesses(stack, token):
    response = stack.call("GET", "/users/me/businesses", token=token)
    assert response.status_code == 200, response.text
    return {b["business_id"]: b for b in response.json()}


def staff_of(stack, owner_token, business_id, role="user"):
    token, user, _ = new_user(stack)
    assert put(stack, owner_token, business_id, user["urn"], role).status_code == 200
    return token, user


def test_a_member_chosen_by_the_grantee_acts_for_the_grantor_until_removed_from_the_grantee(stack):
    (a_token, a_id, _), (b_token, b_id, _), delegation_id = offered_and_accepted(stack)
    proxy_token, _ = staff_of(stack, b_token, b_id, "proxy")
    clerk_token, clerk = staff_of(stack, b_token, b_id, "user")
    assert a_id not in my_businesses(stack, clerk_token)

    # A proxy of the grantee passes it on, narrower than the grant.
    response = agent(stack, proxy_token, b_id, delegation_id, clerk["urn"], "view")
    assert response.status_code == 200, response.text
    assert [(x["urn"], x["permissions"]) for x in response.json()["agents"]] == [(clerk["urn"], "view")]
    # The grantor sees who acts for it.
    assert [x["urn"] for x in listed(stack, a_token, a_id, "given")[delegation_id]["agents"]] == [clerk["urn"]]

    mine = my_businesses(stack, clerk_token)
    acted = mine[a_id]
    assert acted["role"] is None and acted["permissions"] == ["declarations:view", "messages:view"]
    assert acted["delegation"]["delegation_id"] == delegation_id and acted["delegation"]["through_business_id"] == b_id
    assert mine[b_id]["role"] == "user" and "delegation" not in mine[b_id]
    # And reads the business acted for, as an agent.
    seen = stack.call("GET", f"/businesses/{a_id}", token=clerk_token)
    assert seen.status_code == 200, seen.text
    assert seen.json()["role"] is None and seen.json()["delegation"]["permissions"] == "view"
    assert seen.json()["permissions"] == ["declarations:view", "messages:view"]
    # Nothing of the members' routes: the delegation gives no member's permissions.
    assert_problem(stack.call("GET", f"/businesses/{a_id}/members", token=clerk_token), 404)
    # Chosen again, with all the grant gives.
    assert agent(stack, b_token, b_id, delegation_id, clerk["urn"]).status_code == 200
    assert "declarations:edit" in my_businesses(stack, clerk_token)[a_id]["permissions"]

    # Removed from the grantee: the access through it goes at once.
    assert stack.call("DELETE", f"/businesses/{b_id}/members/{clerk['urn']}", token=b_token).status_code == 204
    assert a_id not in my_businesses(stack, clerk_token)
    assert_problem(stack.call("GET", f"/businesses/{a_id}", token=clerk_token), 404)


def test_ending_the_delegation_or_taking_a_person_off_it_ends_their_access_at_once(stack):
    (a_token, a_id, _), (b_token, b_id, _), delegation_id = offered_and_accepted(stack)
    one_token, one = staff_of(stack, b_token, b_id)
    two_token, two = staff_of(stack, b_token, b_id)
    for person in (one, two):
        assert agent(stack, b_token, b_id, delegation_id, person["urn"]).status_code == 200
    assert unassign(stack, b_token, b_id, delegation_id, one["urn"]).status_code == 204
    assert a_id not in my_businesses(stack, one_token) and a_id in my_businesses(stack, two_token)
    assert_problem(unassign(stack, b_token, b_id, delegation_id, one["urn"]), 404)

    assert stack.call("GET", f"/businesses/{a_id}", token=two_token).status_code == 200
    assert end(stack, a_token, a_id, delegation_id).status_code == 204
    assert a_id not in my_businesses(stack, two_token)
    assert_problem(stack.call("GET", f"/businesses/{a_id}", token=two_token), 404)
    assert_problem(stack.call("GET", f"/businesses/{a_id}", token=one_token), 404)
    # Nobody is put on an ended delegation; taking someone off still works.
    assert_problem(agent(stack, b_token, b_id, delegation_id, one["urn"]), 409)
    assert unassign(stack, b_token, b_id, delegation_id, two["urn"]).status_code == 204


def test_only_the_grantees_owner_or_proxies_choose_and_never_beyond_the_grant(stack):
    (a_token, _, a_id, _), (b_token, _, b_id, b_ident) = pair(stack)
    delegation_id = offer(stack, a_token, a_id, b_ident, permissions="view").json()["delegation_id"]
    clerk_token, clerk = staff_of(stack, b_token, b_id)
    _, a_staff = staff_of(stack, a_token, a_id)
    # Pending: nobody acts under it yet.
    assert_problem(agent(stack, b_token, b_id, delegation_id, clerk["urn"]), 409)
    assert accept(stack, b_token, b_id, delegation_id).status_code == 200
    c_token, _, c_id, _ = business(stack)
    _, outsider, _ = new_user(stack)
    before = table_snapshot(stack)
    cases = [
        (agent(stack, b_token, b_id, delegation_id, clerk["urn"], "view_submit"), 422),  # beyond the grant
        (agent(stack, b_token, b_id, delegation_id, clerk["urn"], "all"), 422),
        (agent(stack, b_token, b_id, delegation_id, "123"), 422),
        (agent(stack, b_token, b_id, delegation_id, outsider["urn"]), 404),  # not a member of B
        (agent(stack, clerk_token, b_id, delegation_id, clerk["urn"]), 403),  # a user of B
        (agent(stack, a_token, a_id, delegation_id, a_staff["urn"]), 403),  # the grantor does not choose
        (agent(stack, c_token, c_id, delegation_id, clerk["urn"]), 404),  # a stranger's business
        (agent(stack, c_token, b_id, delegation_id, clerk["urn"]), 404),  # not a member of B
        (unassign(stack, c_token, b_id, delegation_id, clerk["urn"]), 404),
    ]
    for i, (response, status) in enumerate(cases):
        assert response.status_code == status, (i, response.text)
        assert_problem(response, status)
    assert a_id not in my_businesses(stack, clerk_token)
    assert table_snapshot(stack) == before


# ---------------------------------------------------------------- both owners are told


def subjects_to(stack, address):
    from test_users import mail_to
    return [m["subject"] for m in mail_to(stack, address)]


def owner_email(stack, user):
    item = stack.table.get_item(Key={"pk": f"URN#{user['urn']}", "sk": "URN"}, ConsistentRead=True)["Item"]
    return item["email"]


def test_both_owners_are_told_each_step_in_their_language(stack):
    a_token, a_user, a_id, _ = business(stack)
    # B's owner reads French.
    from test_businesses import activate, issue
    b_ident = new_identifier("emanifest")
    issued, _ = issue(stack, "emanifest", b_ident)
    b_token, b_user, _ = new_user(stack, language="fr")
    b_id = activate(stack, b_token, "emanifest", b_ident, issued.json()["shared_secret"]).json()["business_id"]
    authorize(stack, b_token, b_id, "emanifest")
    a_mail, b_mail = owner_email(stack, a_user), owner_email(stack, b_user)

    delegation_id = offer(stack, a_token, a_id, b_ident).json()["delegation_id"]
    assert subjects_to(stack, a_mail)[-1] == "A delegation was offered"
    assert subjects_to(stack, b_mail)[-1] == "Une délégation a été offerte"
    assert accept(stack, b_token, b_id, delegation_id).status_code == 200
    assert subjects_to(stack, a_mail)[-1] == "A delegation is now active"
    assert subjects_to(stack, b_mail)[-1] == "Une délégation est maintenant active"
    assert end(stack, b_token, b_id, delegation_id).status_code == 204
    assert subjects_to(stack, a_mail)[-1] == "A delegation was ended"
    assert subjects_to(stack, b_mail)[-1] == "Une délégation a pris fin"

    # An offer to an identifier with no account tells only the one who made it.
    before = len(stack.sent_mail())
    offer(stack, a_token, a_id, new_identifier("emanifest"))
    assert len(stack.sent_mail()) == before + 1 and subjects_to(stack, a_mail)[-1] == "A delegation was offered"


def move_end_day(stack, delegation_id, a_ident, b_ident, to_day, gsi=True):
    main = {"pk": f"DELEG#{delegation_id}", "sk": "DELEG"}
    copies = [{"pk": f"DELEGS#emanifest#{a_ident}", "sk": f"GIVEN#{delegation_id}"},
              {"pk": f"DELEGS#emanifest#{b_ident}", "sk": f"RECEIVED#{delegation_id}"}]
    stack.table.update_item(Key=main, UpdateExpression="SET ends_on = :d, gsi1pk = :p",
                            ExpressionAttributeValues={":d": to_day, ":p": f"DELEGATIONS#ends#{to_day}"})
    for key in copies:
        stack.table.update_item(Key=key, UpdateExpression="SET ends_on = :d", ExpressionAttributeValues={":d": to_day})
    return main, copies


def test_both_owners_are_reminded_once_30_days_before_the_end_day_and_told_when_it_expired(stack):
    (a_token, a_id, a_ident), (b_token, b_id, b_ident), delegation_id = offered_and_accepted(stack)
    a_mail = owner_email(stack, {"urn": listed(stack, a_token, a_id)[delegation_id]["history"][0]["by_urn"]})
    b_mail = owner_email(stack, {"urn": listed(stack, b_token, b_id)[delegation_id]["history"][1]["by_urn"]})
    move_end_day(stack, delegation_id, a_ident, b_ident, day(30))
    assert run_sweep(stack)["reminded"] >= 1
    for address in (a_mail, b_mail):
        assert subjects_to(stack, address)[-1] == "A delegation ends in 30 days"
    assert run_sweep(stack)["reminded"] == 0  # once
    assert listed(stack, a_token, a_id)[delegation_id]["status"] == "active"

    move_end_day(stack, delegation_id, a_ident, b_ident, day(-1))
    assert run_sweep(stack)["expired"] >= 1
    for address in (a_mail, b_mail):
        assert subjects_to(stack, address)[-1] == "A delegation has expired"


# ---------------------------------------------------------------- the signed proof


def proof_of(stack, token, business_id, delegation_id):
    return stack.call("GET", f"/businesses/{business_id}/delegations/{delegation_id}/proof", token=token)


def check(stack, proof):
    return stack.call("POST", "/delegation-proofs/check", json={"proof": proof})


def test_a_signed_proof_checks_offline_with_the_published_key_and_online_while_it_holds(stack):
    import jwt as pyjwt
    (a_token, a_id, a_ident), (b_token, b_id, b_ident), delegation_id = offered_and_accepted(stack)
    response = proof_of(stack, b_token, b_id, delegation_id)
    assert response.status_code == 200, response.text
    proof = response.json()["proof"]

    # Offline: the published key (no token needed) verifies it, and it says who acts for whom.
    keys = stack.call("GET", "/.well-known/delegation-keys")
    assert keys.status_code == 200, keys.text
    # The key the proof names (after a rotation, test_delegation_keys.py, there are several).
    (jwk,) = [k for k in keys.json()["keys"] if k["kid"] == pyjwt.get_unverified_header(proof)["kid"]]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    key = pyjwt.PyJWK(jwk).key
    claims = pyjwt.decode(proof, key, algorithms=["EdDSA"])
    assert claims["sub"] == delegation_id and claims["iss"] == "trade-portal-accounts"
    assert claims["grantor"]["business_identifier"] == a_ident and claims["grantee"]["business_identifier"] == b_ident
    assert claims["permissions"] == "view_submit" and claims["ends_on"] == day(180)
    assert claims["exp"] == int(datetime.datetime.fromisoformat(day(181) + "T00:00:00+00:00").timestamp())
    # The grantor's side gets one too.
    assert proof_of(stack, a_token, a_id, delegation_id).status_code == 200

    # Online: it holds while the delegation does.
    held = check(stack, proof)
    assert held.status_code == 200, held.text
    assert held.json()["in_force"] is True and held.json()["status"] == "active"
    assert end(stack, a_token, a_id, delegation_id).status_code == 204
    assert check(stack, proof).json() | {"checked_at": None} == {
        "delegation_id": delegation_id, "in_force": False, "status": "ended",
        "valid_until": held.json()["valid_until"], "checked_at": None}
    assert_problem(proof_of(stack, b_token, b_id, delegation_id), 409)


def test_a_forged_or_altered_proof_is_refused_and_strangers_get_none(stack):
    import base64
    (a_token, a_id, _), (b_token, b_id, _), delegation_id = offered_and_accepted(stack)
    proof = proof_of(stack, b_token, b_id, delegation_id).json()["proof"]
    header, payload, signature = proof.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["permissions"] = "view"
    altered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    for forged in [f"{header}.{altered}.{signature}", f"{header}.{payload}.{signature[:-4]}AAAA", "a.b.c"]:
        problem = assert_problem(check(stack, forged), 422)
        assert problem["errors"][0]["field"] == "proof"
    assert_problem(check(stack, "not a proof"), 422)
    # Only owners and proxies of either side; nobody else learns the delegation exists.
    c_token, _, c_id, _ = business(stack)
    clerk_token, _ = staff_of(stack, b_token, b_id, "user")
    assert_problem(proof_of(stack, c_token, c_id, delegation_id), 404)
    assert_problem(proof_of(stack, c_token, b_id, delegation_id), 404)
    assert_problem(proof_of(stack, clerk_token, b_id, delegation_id), 403)


# ---------------------------------------------------------------- a business that closes


def test_a_business_that_closes_ends_its_delegations_both_ways_and_the_other_owners_are_told(stack):
    (a_token, a_id, a_ident), (b_token, b_id, b_ident), given = offered_and_accepted(stack)
    clerk_token, clerk = staff_of(stack, b_token, b_id)
    assert agent(stack, b_token, b_id, given, clerk["urn"]).status_code == 200
    proof = proof_of(stack, b_token, b_id, given).json()["proof"]
    # Still unanswered when A closes: an offer A made to C, and a request D made of A.
    c_token, c_user, c_id, c_ident = business(stack)
    d_token, d_user, d_id, d_ident = business(stack)
    offered = offer(stack, a_token, a_id, c_ident).json()["delegation_id"]
    asked = ask(stack, d_token, d_id, a_ident).json()["delegation_id"]
    # An ended one stays as it was.
    e_token, _, e_id, e_ident = business(stack)
    old = offer(stack, a_token, a_id, e_ident).json()["delegation_id"]
    assert end(stack, a_token, a_id, old).status_code == 204
    assert a_id in my_businesses(stack, clerk_token)

    assert stack.call("DELETE", f"/businesses/{a_id}", token=a_token).status_code == 204
    stack.settle()  # membership-followups ends the delegations
    stack.settle()  # send-notices sends what it wrote

    expected = {(b_token, b_id, given): ("ended", "closed"), (c_token, c_id, offered): ("withdrawn", "closed"),
                (d_token, d_id, asked): ("declined", "closed"), (e_token, e_id, old): ("withdrawn", "withdrawn")}
    for (token, business_id, delegation_id), (status, action) in expected.items():
        seen = listed(stack, token, business_id)[delegation_id]
        assert (seen["status"], seen["history"][-1]["action"]) == (status, action), seen
        stored = stack.table.get_item(Key={"pk": f"DELEG#{delegation_id}", "sk": "DELEG"}, ConsistentRead=True)["Item"]
        # Off the sweep's index once closed.
        assert stored["status"] == status and "gsi1pk" not in stored
    # The agent acts for A no more, and the proof no longer holds.
    assert a_id not in my_businesses(stack, clerk_token)
    assert check(stack, proof).json()["in_force"] is False
    # Each other side's owner was told once (B, C, D); E only of its own earlier end.
    for token in (b_token, c_token, d_token):
        me = stack.call("GET", "/users/me", token=token).json()
        assert subjects_to(stack, me["email"]).count("A delegation ended: a business closed its account") == 1


def test_an_agent_who_moves_to_another_credential_keeps_acting_and_comes_off_cleanly(stack):
    from test_users import new_sub
    (a_token, a_id, _), (b_token, b_id, _), delegation_id = offered_and_accepted(stack)
    old_token, clerk = staff_of(stack, b_token, b_id)
    assert agent(stack, b_token, b_id, delegation_id, clerk["urn"]).status_code == 200
    assert a_id in my_businesses(stack, old_token)

    # The clerk moves their account to a Sign-In Partner credential.
    new_sub_ = new_sub()
    new_token = stack.token(new_sub_, idp="sign-in-partner")
    code = stack.call("POST", "/users/me/credential-transfers", token=old_token)
    assert code.status_code == 201, code.text
    claimed = stack.call("POST", "/credential-transfers/claim", token=new_token,
                         json={"transfer_code": code.json()["transfer_code"]})
    assert claimed.status_code == 200, claimed.text
    # They act for A from the new credential, as before; their side moved with the account.
    mine = my_businesses(stack, new_token)
    assert mine[a_id]["delegation"]["delegation_id"] == delegation_id and b_id in mine
    assert stack.call("GET", f"/businesses/{a_id}", token=new_token).status_code == 200
    sides = lambda sub, idp: stack.table.query(  # noqa: E731
        KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues={":pk": f"CRED#{idp}#{sub}", ":p": "ACTFOR#"}, ConsistentRead=True)["Items"]
    old_sub = stack.table.get_item(Key={"pk": f"URN#{clerk['urn']}", "sk": "URN"})["Item"]
    assert [s["delegation_id"] for s in sides(new_sub_, "sign-in-partner")] == [delegation_id]
    assert old_sub["sub"] == new_sub_

    # Taken off the delegation: the access goes at once, and no side is left anywhere.
    assert unassign(stack, b_token, b_id, delegation_id, clerk["urn"]).status_code == 204
    assert a_id not in my_businesses(stack, new_token)
    assert sides(new_sub_, "sign-in-partner") == []
    # Chosen again: the side is written under the credential they use now.
    assert agent(stack, b_token, b_id, delegation_id, clerk["urn"]).status_code == 200
    assert a_id in my_businesses(stack, new_token)


def test_a_retried_offer_or_request_with_its_idempotency_key_opens_one_delegation(stack):
    for path_of in (lambda b: f"/businesses/{b}/delegations", lambda b: f"/businesses/{b}/delegation-requests"):
        (token, _, business_id, _), (_, _, _, other) = pair(stack)
        key = str(uuid.uuid4())
        headers = {"Idempotency-Key": key}
        first = stack.call("POST", path_of(business_id), token=token, json=terms(other), headers=headers)
        assert first.status_code == 202, first.text
        sent = len(stack.sent_mail())
        again = stack.call("POST", path_of(business_id), token=token, json=terms(other), headers=headers)
        assert again.status_code == 202 and again.json() == first.json()
        mine = [d for d in listed(stack, token, business_id).values() if d["status"] in ("pending", "requested")]
        assert [d["delegation_id"] for d in mine] == [first.json()["delegation_id"]]
        assert len(stack.sent_mail()) == sent
        # A stranger with the same key gets nothing of it: their own business, their own answer
        # (or, against this business, the 404 a non-member gets).
        s_token, _, s_id, _ = business(stack)
        assert_problem(stack.call("POST", path_of(business_id), token=s_token, json=terms(other), headers=headers), 404)
        theirs = stack.call("POST", path_of(s_id), token=s_token, json=terms(other), headers=headers)
        assert theirs.status_code == 202 and theirs.json()["delegation_id"] != first.json()["delegation_id"]
