"""Idempotency-Key on the creating POSTs, and the hourly allowance of activation attempts."""

import concurrent.futures
import json
import uuid

from test_businesses import activate, issue, new_bn9, new_identifier, new_user, officer
from test_members import team
from test_users import assert_problem, mail_to, new_sub, profile, table_snapshot, user_item


def key():
    return f"key-{uuid.uuid4()}"


def test_repeated_post_users_returns_the_first_answer_once(stack):
    sub, k, body = new_sub(), key(), profile()
    token = stack.token(sub)
    first = stack.call("POST", "/users", token=token, json=body, headers={"Idempotency-Key": k})
    assert first.status_code == 201, first.text
    again = stack.call("POST", "/users", token=token, json=body, headers={"Idempotency-Key": k})
    assert again.status_code == 201 and again.json() == first.json()
    assert len(mail_to(stack, body["email"])) == 1
    assert user_item(stack, sub)["urn"] == first.json()["urn"]
    # The same key for another request is refused; without a key the repeat is a plain 409.
    other = stack.call("POST", "/users", token=token, json=profile(), headers={"Idempotency-Key": k})
    problem = assert_problem(other, 422)
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert_problem(stack.call("POST", "/users", token=token, json=body), 409)
    # Keys belong to a credential: another person's same key is another request.
    stranger = stack.call("POST", "/users", token=stack.token(new_sub()), json=profile(), headers={"Idempotency-Key": k})
    assert stranger.status_code == 201 and stranger.json()["urn"] != first.json()["urn"]


def test_a_failed_request_releases_its_key(stack):
    sub, k = new_sub(), key()
    token = stack.token(sub)
    bad = stack.call("POST", "/users", token=token, json=profile(email="broken"), headers={"Idempotency-Key": k})
    assert_problem(bad, 422)
    good = stack.call("POST", "/users", token=token, json=profile(), headers={"Idempotency-Key": k})
    assert good.status_code == 201, good.text


def test_shared_secret_repeats_give_the_same_secret_and_one_email(stack):
    identifier, k = new_identifier("emanifest"), key()
    token = officer(stack)
    body = {"program": "emanifest", "business_identifier": identifier, "legal_name": "Idem Freight",
            "mailing_address": "1 Main St", "email": f"idem.{uuid.uuid4().hex[:8]}@example.com"}

    def send(_):
        return stack.call("POST", "/agency/shared-secrets", token=token, json=body, headers={"Idempotency-Key": k})

    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(send, range(10)))
    codes = [r.status_code for r in responses]
    assert set(codes) <= {201, 409} and 201 in codes, codes
    secrets = {r.json()["shared_secret"] for r in responses if r.status_code == 201}
    assert len(secrets) == 1
    assert len(mail_to(stack, body["email"])) == 1
    later = send(None)
    assert later.status_code == 201 and later.json()["shared_secret"] in secrets
    # The kept answer is sealed: the secret is not in the table in clear.
    secret = secrets.pop()
    dump = json.dumps(table_snapshot(stack))
    assert secret not in dump and secret.replace("-", "") not in dump


def test_activation_and_transfer_repeats(stack):
    identifier = new_identifier("cers")
    secret = issue(stack, "cers", identifier)[0].json()["shared_secret"]
    token, _, _ = new_user(stack)
    k = key()
    body = {"program": "cers", "business_identifier": identifier, "shared_secret": secret,
            "owner_contact": {"position_title": "CEO", "address": "1 Main St", "phone": "6135550100",
                              "email": "ceo@example.com"}}
    first = stack.call("POST", "/businesses", token=token, json=body, headers={"Idempotency-Key": k})
    again = stack.call("POST", "/businesses", token=token, json=body, headers={"Idempotency-Key": k})
    assert first.status_code == 201 and again.status_code == 201 and again.json() == first.json()

    business_id, people = team(stack)
    path = f"/businesses/{business_id}/ownership-transfer"
    k = key()
    body = {"to_urn": people["user"][1]["urn"]}
    first = stack.call("POST", path, token=people["owner"][0], json=body, headers={"Idempotency-Key": k})
    again = stack.call("POST", path, token=people["owner"][0], json=body, headers={"Idempotency-Key": k})
    assert first.status_code == 201 and again.json() == first.json()
    heir_mail = [m for m in mail_to(stack, people["user"][1]["email"]) if "new owner" in m["subject"]]
    assert len(heir_mail) == 1


def test_registration_repeat(stack):
    token, _, _ = new_user(stack)
    k = key()
    body = {"program": "ttp", "business_number": new_bn9(), "legal_name": "Repeat Ltd", "mailing_address": "1 Main St"}
    first = stack.call("POST", "/registrations", token=token, json=body, headers={"Idempotency-Key": k})
    again = stack.call("POST", "/registrations", token=token, json=body, headers={"Idempotency-Key": k})
    assert first.status_code == 202, first.text
    assert again.status_code == 202 and again.json() == first.json()
    # Not on the agency's register: one letter waits in review, none was queued twice.
    letters = [i for i in stack.scan() if i.get("sk") == "LETTER"
               and i.get("registration", {}).get("business_number") == body["business_number"]]
    assert len(letters) == 1 and letters[0]["status"] == "review"


def test_more_than_twenty_activation_attempts_an_hour_is_429(stack):
    token, _, _ = new_user(stack)
    wrong = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"
    statuses = [activate(stack, token, "emanifest", new_identifier("emanifest"), wrong).status_code for _ in range(20)]
    assert statuses == [403] * 20, statuses
    before = table_snapshot(stack)
    limited = activate(stack, token, "emanifest", new_identifier("emanifest"), wrong)
    problem = assert_problem(limited, 429)
    assert 1 <= int(limited.headers["retry-after"]) <= 3600
    assert "ABCD" not in json.dumps(problem)
    # The refused attempt counted nothing against any identifier (only the allowance moved).
    after = [i for i in table_snapshot(stack) if i not in before]
    assert all('"RATE#' in i for i in after), after


def test_a_repeat_gets_the_first_answer_only_while_the_caller_may_still_ask(stack):
    """The kept answer is given again only to a caller still allowed to make the request: an
    officer whose role was removed, or an owner who has handed the business over, gets the
    refusal (403) with the same key, not the secret or the transfer, and nothing changes."""
    sub, k = new_sub(), key()
    body = {"program": "emanifest", "business_identifier": new_identifier("emanifest"), "legal_name": "Kept Ltd",
            "mailing_address": "1 Main St", "email": f"kept.{uuid.uuid4().hex[:8]}@example.com"}

    def issue_as(token):
        return stack.call("POST", "/agency/shared-secrets", token=token, json=body, headers={"Idempotency-Key": k})

    first = issue_as(stack.token(sub, roles=["agency-officer"]))
    assert first.status_code == 201, first.text
    secret = first.json()["shared_secret"]
    before = table_snapshot(stack)
    demoted = issue_as(stack.token(sub))  # the same credential, its officer role removed
    assert_problem(demoted, 403)
    assert secret not in demoted.text and secret.replace("-", "") not in demoted.text
    assert table_snapshot(stack) == before
    still = issue_as(stack.token(sub, roles=["agency-officer"]))
    assert still.status_code == 201 and still.json()["shared_secret"] == secret

    business_id, people = team(stack)
    owner, path, k = people["owner"][0], f"/businesses/{business_id}/ownership-transfer", key()
    asked = {"to_urn": people["user"][1]["urn"]}
    first = stack.call("POST", path, token=owner, json=asked, headers={"Idempotency-Key": k})
    assert first.status_code == 201, first.text
    assert stack.call("DELETE", path, token=owner).status_code == 204
    handed = stack.call("POST", path, token=owner, json={"to_urn": people["proxy"][1]["urn"]})
    assert handed.status_code == 201, handed.text
    assert stack.call("POST", f"{path}/accept", token=people["proxy"][0]).status_code == 200
    before = table_snapshot(stack)
    again = stack.call("POST", path, token=owner, json=asked, headers={"Idempotency-Key": k})
    assert_problem(again, 403)
    assert table_snapshot(stack) == before
