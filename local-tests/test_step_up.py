"""Recent sign-in (RFC 9470 step-up), end to end: a session that is old, or signed in without a
second factor, is not enough to move an account, hand over or close a business, or act for the
agency. The answer is 401 with the standard challenge, and nothing changes."""

import time

import jwt
import pytest

from test_businesses import issue, new_identifier
from test_members import authorized_business, team
from test_users import assert_problem, ask_email, code_sent_to, create, new_address, new_sub, table_snapshot

CHALLENGE = 'Bearer error="insufficient_user_authentication", error_description="'
OLD = 16 * 60  # a sign-in older than the 15 minutes the sensitive routes allow


def sub_of(token):
    return jwt.decode(token, options={"verify_signature": False})["sub"]


def assert_challenge(response, wanted):
    problem = assert_problem(response, 401)
    assert problem["type"].endswith("/insufficient-user-authentication"), problem
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith(CHALLENGE) and challenge.endswith(wanted), challenge
    return problem


def sensitive_requests(stack):
    """Each route that needs a recent sign-in, with the sub of the person entitled to call it:
    (what, sub, method, path, body)."""
    business_id, people = team(stack)
    heir_token, heir = people["user"]
    started = stack.call("POST", f"/businesses/{business_id}/ownership-transfer", token=people["owner"][0],
                         json={"to_urn": heir["urn"]})
    assert started.status_code == 201, started.text
    other_business, others = team(stack)
    closing_owner, _, closing = authorized_business(stack)
    lone = new_sub()
    assert create(stack, lone)[0].status_code == 201
    changer, address = new_sub(), new_address()
    assert create(stack, changer)[0].status_code == 201
    ask_email(stack, changer, address)
    return [
        ("confirm an e-mail change", changer, "POST", "/users/me/email-confirmation",
         {"code": code_sent_to(stack, address)}),
        ("start a credential transfer", lone, "POST", "/users/me/credential-transfers", None),
        ("accept an ownership transfer", sub_of(heir_token), "POST",
         f"/businesses/{business_id}/ownership-transfer/accept", None),
        ("close a business", sub_of(closing_owner), "DELETE", f"/businesses/{closing}", None),
        ("request an ownership transfer", sub_of(others["owner"][0]), "POST",
         f"/businesses/{other_business}/ownership-transfer", {"to_urn": others["user"][1]["urn"]}),
    ]


def test_sensitive_routes_need_a_sign_in_at_most_fifteen_minutes_old(stack):
    requests = sensitive_requests(stack)
    before = table_snapshot(stack)
    for what, sub, method, path, body in requests:
        for stale in ({"auth_time": int(time.time()) - OLD}, {"auth_time": None}):
            response = stack.call(method, path, token=stack.token(sub, **stale), json=body)
            assert_challenge(response, "max_age=900"), what
    # Nothing was written, and nothing sent, by any of them.
    assert table_snapshot(stack) == before
    # Signed in again, the same person may.
    for what, sub, method, path, body in requests:
        response = stack.call(method, path, token=stack.token(sub), json=body)
        assert response.status_code in (200, 201, 204), (what, response.text)


def test_a_sign_in_fourteen_minutes_old_is_recent_enough(stack):
    lone = new_sub()
    assert create(stack, lone)[0].status_code == 201
    token = stack.token(lone, auth_time=int(time.time()) - 14 * 60)
    assert stack.call("POST", "/users/me/credential-transfers", token=token).status_code == 201


def test_an_old_session_is_not_asked_to_step_up_on_someone_elses_business(stack):
    """The challenge comes before anything is read: a stranger's old session learns nothing
    about another business (same answer as for one that does not exist), and a fresh one still
    gets 404."""
    _, _, business_id = authorized_business(stack)
    stranger = new_sub()
    assert create(stack, stranger)[0].status_code == 201
    old = stack.token(stranger, auth_time=int(time.time()) - OLD)
    for path in (f"/businesses/{business_id}", "/businesses/" + "z" * 26):
        assert_challenge(stack.call("DELETE", path, token=old), "max_age=900")
    assert_problem(stack.call("DELETE", f"/businesses/{business_id}", token=stack.token(stranger)), 404)


def test_a_repeated_transfer_request_is_checked_for_a_recent_sign_in_too(stack):
    business_id2, people = team(stack)
    owner, heir = people["owner"][0], people["user"][1]
    key = {"Idempotency-Key": "transfer-once-" + new_sub()}
    path = f"/businesses/{business_id2}/ownership-transfer"
    first = stack.call("POST", path, token=owner, json={"to_urn": heir["urn"]}, headers=key)
    assert first.status_code == 201, first.text
    old = stack.token(sub_of(owner), auth_time=int(time.time()) - OLD)
    assert_challenge(stack.call("POST", path, token=old, json={"to_urn": heir["urn"]}, headers=key), "max_age=900")
    again = stack.call("POST", path, token=owner, json={"to_urn": heir["urn"]}, headers=key)
    assert again.status_code == 201 and again.json() == first.json()


def agency_requests():
    return [
        ("POST", "/agency/shared-secrets", {"program": "emanifest", "business_identifier": new_identifier("emanifest"),
                                            "legal_name": "Northern Freight Ltd.",
                                            "mailing_address": "100 Wellington St\nOttawa ON  K1A 0A9",
                                            "email": "contact@example.com"}),
        ("GET", "/agency/letters", None),
        ("GET", "/agency/letters?status=review", None),
        ("POST", f"/agency/letters/{'a' * 26}/mailed", None),
        ("POST", f"/agency/letters/{'a' * 26}/approve", {}),
        ("POST", f"/agency/letters/{'a' * 26}/reject", {"reason": "not the business"}),
        ("PUT", "/agency/business-register/123456782", {"legal_name": "Northern Freight Ltd.",
                                                        "mailing_address": "100 Wellington St\nOttawa ON  K1A 0A9"}),
        ("GET", "/agency/audit", None),
    ]


@pytest.mark.parametrize("amr", [["pwd"], None, []])
def test_agency_routes_need_a_second_factor(stack, amr):
    officer = stack.token(f"officer-{new_sub()}", roles=["agency-officer"], amr=amr)
    before = table_snapshot(stack)
    for method, path, body in agency_requests():
        assert_challenge(stack.call(method, path, token=officer, json=body), 'acr_values="mfa"')
    assert table_snapshot(stack) == before
    # A second factor, without the role, is still not an officer.
    stranger = stack.token(new_sub(), amr=["pwd", "mfa"])
    for method, path, body in agency_requests():
        assert_problem(stack.call(method, path, token=stranger, json=body), 403)
    # With both, the officer works.
    issued, _ = issue(stack, "emanifest", new_identifier("emanifest"))
    assert issued.status_code == 201, issued.text


def test_the_local_token_endpoint_takes_auth_time_and_amr(stack):
    def minted(body):
        response = stack.call("POST", "/_local/token", json=body)
        assert response.status_code == 200, response.text
        return jwt.decode(response.json()["access_token"], options={"verify_signature": False})

    now = int(time.time())
    plain = minted({"sub": "someone", "idp": "gckey"})
    assert abs(plain["auth_time"] - now) < 60 and plain["amr"] == ["pwd"]
    assert minted({"sub": "o", "idp": "gckey", "roles": ["agency-officer"]})["amr"] == ["pwd", "mfa"]
    chosen = minted({"sub": "x", "idp": "gckey", "auth_time": now - 3600, "amr": ["pwd"],
                     "roles": ["agency-officer"]})
    assert chosen["auth_time"] == now - 3600 and chosen["amr"] == ["pwd"]
    for bad in ({"auth_time": "yesterday"}, {"amr": "mfa"}, {"amr": [1]}):
        response = stack.call("POST", "/_local/token", json={"sub": "x", "idp": "gckey", **bad})
        assert response.status_code == 400, bad
