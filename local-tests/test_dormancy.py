"""Dormant user accounts, end to end: activity recorded once a day in an index by day, the daily
sweep (`retire-dormant-accounts`, invoked as its schedule would) that warns 30 days before two
years without a request and retires on the day, a retired account's 403, its URN not addable,
the proxies told, and an officer's reinstatement in the agency audit. Time moves forward by
writing an account's last active day back in the table, as two years without a request leave it."""

import time
from datetime import datetime, timedelta, timezone

import requests

from test_businesses import new_user
from test_members import authorized_business, put
from test_registration import audit_events, officer_named
from test_reliability import INVOKE_TIMEOUT, scheduled_event
from test_users import assert_problem, damm_digit, mail_to, user_item

RETIRED = "/account-retired"


def today():
    return int(time.time()) // 86400


def sub_of(stack, urn):
    item = stack.table.get_item(Key={"pk": f"URN#{urn}", "sk": "URN"}, ConsistentRead=True)["Item"]
    return item["sub"]


def urn_item(stack, urn):
    return stack.table.get_item(Key={"pk": f"URN#{urn}", "sk": "URN"}, ConsistentRead=True)["Item"]


def last_active(stack, sub, day):
    """The account as if its last request were on `day` (and it was never warned about it)."""
    stack.table.update_item(
        Key={"pk": f"CRED#gckey#{sub}", "sk": "USER"},
        UpdateExpression="SET active_day = :d, gsi1pk = :pk, gsi1sk = :sk REMOVE warned_day",
        ExpressionAttributeValues={":d": day, ":pk": f"ACTIVE#{day}", ":sk": f"CRED#gckey#{sub}"})


def sweep(stack):
    url = f"{stack.info['watch_url']}/2015-03-31/functions/retire-dormant-accounts/invocations"
    response = requests.post(url, json=scheduled_event(), timeout=INVOKE_TIMEOUT)
    assert response.status_code == 200, response.text
    summary = response.json()
    assert set(summary) == {"warned", "retired", "skipped"}, summary
    return summary


def date_of(day):
    return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(days=day)).strftime("%Y-%m-%d")


def unknown_urn():
    body = str(int(time.time() * 1000) % 900_000_000 + 100_000_000)
    return body + damm_digit(body)


def test_activity_is_recorded_once_a_day_in_the_index_by_day(stack):
    token, user, _ = new_user(stack)
    sub = sub_of(stack, user["urn"])
    item = user_item(stack, sub)
    assert item["active_day"] == today() and item["gsi1pk"] == f"ACTIVE#{today()}"
    assert item["gsi1sk"] == f"CRED#gckey#{sub}"

    # A later request the same day writes nothing: the index entry removed here stays removed.
    stack.table.update_item(Key={"pk": f"CRED#gckey#{sub}", "sk": "USER"}, UpdateExpression="REMOVE gsi1pk, gsi1sk")
    assert stack.call("GET", "/users/me", token=token).status_code == 200
    assert stack.call("GET", "/users/me/businesses", token=token).status_code == 200
    assert "gsi1pk" not in user_item(stack, sub)

    # The first request of a new day moves the account to today's partition of the index.
    last_active(stack, sub, today() - 3)
    assert stack.call("GET", "/users/me/businesses", token=token).status_code == 200
    item = user_item(stack, sub)
    assert item["active_day"] == today() and item["gsi1pk"] == f"ACTIVE#{today()}"
    version = item["version"]
    # Recording activity is not a change of the profile: its version (If-Match) stays.
    last_active(stack, sub, today() - 1)
    assert stack.call("GET", "/users/me", token=token).status_code == 200
    assert user_item(stack, sub)["version"] == version


def test_a_dormant_owner_is_warned_retired_and_reinstated(stack):
    owner, owner_user, business_id = authorized_business(stack)
    proxy, proxy_user, proxy_body = new_user(stack, language="fr")
    assert put(stack, owner, business_id, proxy_user["urn"], "proxy").status_code == 200
    legal_name = stack.call("GET", f"/businesses/{business_id}", token=owner).json()["legal_name"]
    urn = owner_user["urn"]
    sub = sub_of(stack, urn)
    email = owner_user["email"]
    warn_day, retire_day = today() - 700, today() - 730

    # 30 days before two years: warned once, in English, with the date it would be retired on.
    last_active(stack, sub, warn_day)
    assert sweep(stack)["warned"] >= 1
    [warning] = [m for m in mail_to(stack, email) if "retired" in m["subject"]]
    assert date_of(warn_day + 730) in warning["body"]
    assert urn in warning["body"]
    sweep(stack)  # a second run the same day warns nobody again
    assert len([m for m in mail_to(stack, email) if "retired" in m["subject"]]) == 1
    assert user_item(stack, sub).get("retired_at") is None

    # Two years: retired. Out of the index, the URN index says so, the memberships stay.
    last_active(stack, sub, retire_day)
    assert sweep(stack)["retired"] >= 1
    item = user_item(stack, sub)
    assert item["retired_at"] and "gsi1pk" not in item
    assert urn_item(stack, urn)["retired"] is True
    members = stack.call("GET", f"/businesses/{business_id}/members", token=proxy).json()
    assert urn in [m["urn"] for m in members]
    # The support desk sees it retired, last active two years ago.
    desk = stack.token(f"officer-{sub}", roles=["agency-officer"])
    card = stack.call("GET", f"/agency/users/{urn}", token=desk).json()
    assert card["status"] == "retired" and card["last_active_at"] == f"{date_of(retire_day)}T00:00:00Z"

    # Every request with its credential: 403 with its own problem type, and nothing written.
    for method, path in [("GET", "/users/me"), ("GET", "/users/me/businesses"),
                         ("GET", f"/businesses/{business_id}"), ("GET", f"/businesses/{business_id}/members")]:
        problem = assert_problem(stack.call(method, path, token=owner), 403)
        assert problem["type"].endswith(RETIRED), (path, problem)
    assert_problem(stack.call("PATCH", "/users/me", token=owner, json={"name": "Someone Else"}), 403)
    assert user_item(stack, sub)["retired_at"] == item["retired_at"]

    # The proxy is told, in French, so the agency can recover the ownership.
    [told] = [m for m in mail_to(stack, proxy_body["email"]) if "retiré" in m["subject"]]
    assert legal_name in told["body"] and urn in told["body"]

    # Its URN cannot be added: the same 404 as a URN nobody has, even with the right e-mail.
    other_owner, _, other_business = authorized_business(stack)
    retired_add = assert_problem(put(stack, other_owner, other_business, urn, "user", email=email), 404)
    unknown_add = assert_problem(put(stack, other_owner, other_business, unknown_urn(), "user", email=email), 404)
    assert retired_add["detail"] == unknown_add["detail"]

    # Reinstated by an officer with a second factor, in the agency audit; it works again.
    officer_sub, officer = officer_named(stack)
    no_mfa = stack.token(officer_sub, roles=["agency-officer"], amr=["pwd"])
    assert_problem(stack.call("POST", f"/agency/users/{urn}/reinstate", token=no_mfa), 401)
    assert_problem(stack.call("POST", f"/agency/users/{unknown_urn()}/reinstate", token=officer), 404)
    assert_problem(stack.call("POST", "/agency/users/1234567890/reinstate", token=officer), 422)
    response = stack.call("POST", f"/agency/users/{urn}/reinstate", token=officer)
    assert response.status_code == 200, response.text
    assert response.json() == {"urn": urn, "status": "active"}
    assert_problem(stack.call("POST", f"/agency/users/{urn}/reinstate", token=officer), 409)
    [event] = audit_events(stack, officer_sub)
    assert event["action"] == "user.reinstated" and event["concerned"] == [urn]
    item = user_item(stack, sub)
    assert "retired_at" not in item and item["active_day"] == today() and item["gsi1pk"] == f"ACTIVE#{today()}"
    assert urn_item(stack, urn).get("retired") is None
    assert stack.call("GET", "/users/me", token=owner).status_code == 200
    assert stack.call("GET", f"/businesses/{business_id}", token=owner).json()["role"] == "owner"
    assert put(stack, other_owner, other_business, urn, "user", email=email).status_code == 200


def test_nobody_but_an_officer_reinstates_and_an_active_account_is_never_retired(stack):
    """An attacker with a free credential (and a user account) cannot reinstate anyone, not
    even themselves once retired; an account that made a request after the sweep's day stays."""
    attacker, attacker_user, _ = new_user(stack)
    victim, victim_user, _ = new_user(stack)
    victim_sub = sub_of(stack, victim_user["urn"])
    last_active(stack, victim_sub, today() - 730)
    sweep(stack)
    assert user_item(stack, victim_sub)["retired_at"]
    for token in [attacker, victim]:
        problem = assert_problem(stack.call("POST", f"/agency/users/{victim_user['urn']}/reinstate", token=token), 403)
        assert problem["type"].endswith("/forbidden"), problem
    assert user_item(stack, victim_sub)["retired_at"]

    # The attacker's own account, two years old by the index but active today by its item (an
    # index that lags its item): the sweep finds it on the old day's partition and leaves it.
    attacker_sub = sub_of(stack, attacker_user["urn"])
    stack.table.update_item(Key={"pk": f"CRED#gckey#{attacker_sub}", "sk": "USER"},
                            UpdateExpression="SET gsi1pk = :pk",
                            ExpressionAttributeValues={":pk": f"ACTIVE#{today() - 730}"})
    sweep(stack)
    assert "retired_at" not in user_item(stack, attacker_sub)
    assert stack.call("GET", "/users/me", token=attacker).status_code == 200
