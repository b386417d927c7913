"""The functions on their own, invoked through cargo lambda watch's Lambda Invoke API with the
`events/` samples, as API Gateway would invoke them: each answers its sample, and each checks
the bearer token itself (whatever the authorizer in front did) and refuses every forged one.
The notice senders' samples are not API events: send-notices gets its DynamoDB stream sample,
and so does membership-followups."""

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cfn_template import function_actions, load_template
from test_users import new_sub, profile

EVENTS = Path(__file__).resolve().parent.parent / "events"
# Not HTTP events: the schedule's (retry-notices) and the table stream's (send-notices,
# membership-followups).
NOT_API = {"retry-notices", "send-notices", "ses-feedback", "membership-followups", "retire-dormant-accounts", "expire-delegations",
          "rotate-delegation-key"}
API_SAMPLES = sorted(p.stem for p in EVENTS.glob("*.json") if p.stem not in NOT_API)
PUBLIC = {"health", "list-programs", "delegation-proof-keys", "check-delegation-proof"}


def invoke(stack, name, event):
    url = f"{stack.info['watch_url']}/2015-03-31/functions/{name}/invocations"
    response = requests.post(url, data=json.dumps(event), timeout=180)
    assert response.status_code == 200, response.text
    return response.json()


def sample(name, token=None):
    event = json.loads((EVENTS / f"{name}.json").read_text())
    if token is not None:
        event["headers"]["authorization"] = f"Bearer {token}"
    return event


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(stack, **overrides):
    now = int(time.time())
    c = {"iss": stack.info["jwt_issuer"], "aud": stack.info["jwt_audience"], "sub": new_sub(), "idp": "gckey",
         "roles": [], "iat": now, "nbf": now, "exp": now + 600}
    c.update(overrides)
    return {k: v for k, v in c.items() if v is not None}


def forged_tokens(stack):
    kid = stack.info["jwt_kid"]
    key = stack.private_key_pem
    public_pem = serialization.load_pem_private_key(key, None).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())

    def signed(c, headers=None):
        return jwt.encode(c, key, algorithm="RS256", headers={"kid": kid, **(headers or {})})

    def hs256_with_public_key():
        header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
        payload = b64(json.dumps(claims(stack)).encode())
        signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{b64(signature)}"

    def alg_none():
        header = b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
        return f"{header}.{b64(json.dumps(claims(stack)).encode())}."

    def edited_after_signing():
        header, _, signature = signed(claims(stack)).split(".")
        return f"{header}.{b64(json.dumps(claims(stack, sub='someone-else')).encode())}.{signature}"

    return {
        "alg none": alg_none(),
        "HS256 signed with the public key": hs256_with_public_key(),
        "unknown kid": signed(claims(stack), {"kid": "not-a-key"}),
        "another key": jwt.encode(claims(stack), other_key, algorithm="RS256", headers={"kid": kid}),
        "expired": signed(claims(stack, exp=now - 600)),
        "nbf in the future": signed(claims(stack, nbf=now + 600)),
        "wrong issuer": signed(claims(stack, iss="https://evil.example")),
        "wrong audience": signed(claims(stack, aud="another-app")),
        "payload edited after signing": edited_after_signing(),
        "no sub": signed(claims(stack, sub=None)),
        "no idp": signed(claims(stack, idp=None)),
        "unknown idp": signed(claims(stack, idp="facebook")),
        "no exp": signed(claims(stack, exp=None)),
        "not a JWT": "not.a.jwt",
    }


def answer_every_sample(stack):
    # The caller of the authenticated samples has a user account; agency samples an officer.
    sub = new_sub()
    assert stack.call("POST", "/users", token=stack.token(sub), json=profile()).status_code == 201
    for name in API_SAMPLES:
        officer_samples = ("issue-shared-secret", "list-letters", "mark-letter-mailed", "approve-letter",
                           "reject-letter", "put-business-register", "get-agency-audit", "get-agency-user",
                           "find-agency-business", "reinstate-user", "start-import", "import-rows",
                           "get-import")
        roles = ["agency-officer"] if name in officer_samples else []
        token = None if name in PUBLIC else stack.token(sub, roles=roles)
        event = sample(name, token)
        answer = invoke(stack, name, event)
        status = answer["statusCode"]
        # The samples name businesses and members that do not exist: 4xx is the right answer
        # for those, but never 401 (the token is good) and never a server error.
        assert status < 500 and status != 401, (name, answer)
        if status >= 400:
            assert answer["headers"]["content-type"] == "application/problem+json", (name, answer)
            problem = json.loads(answer["body"])
            assert problem["status"] == status and problem["title"]


def test_every_function_answers_its_sample_event(stack):
    answer_every_sample(stack)


def iam_actions(call):
    """The IAM actions a request the fault proxies saw needs. A transaction ("….TransactWriteItems
    Put,Update") needs its items' actions (dynamodb:PutItem, …), as IAM authorizes it."""
    operation, _, items = call.partition(" ")
    service, _, name = operation.partition(".")
    if name == "TransactWriteItems":
        return {f"dynamodb:{kind}Item" for kind in items.split(",")}
    if service == "DynamoDB_20120810":
        return {f"dynamodb:{name}"}
    if service == "secretsmanager":
        return {f"secretsmanager:{name}"}
    if call == "POST /v2/email/outbound-emails":
        return {"ses:SendEmail"}
    raise AssertionError(f"no IAM action is known here for {call!r}: add it")


def test_every_call_a_function_makes_is_allowed_by_its_template_policy(stack):
    """Every request the functions made through the stack's proxies since it started (each
    names its function as the SDK's app), against that function's policy in the template: a
    call the policy lacks would be AccessDenied once deployed. The samples go first, so every
    function has made at least its cold start's calls, whatever ran before (membership-followups
    with its stream sample, whose steps read and try to write)."""
    answer_every_sample(stack)
    invoke(stack, "membership-followups", json.loads((EVENTS / "membership-followups.json").read_text()))
    stack.settle()  # send-notices has taken and sent the notices those made
    allowed = function_actions(load_template())
    calls = {}
    for service, state in stack.faults().items():
        for caller, operations in state["calls"].items():
            for call in operations:
                calls.setdefault(caller, set()).update(iam_actions(call))
    assert "?" not in calls, f"calls without a function name: {calls.get('?')}"
    seen = set(API_SAMPLES) - PUBLIC | {"membership-followups"}
    assert seen <= set(calls), f"never seen calling: {seen - set(calls)}"
    denied = {name: sorted(actions - allowed.get(name, set())) for name, actions in calls.items()}
    assert not any(denied.values()), {name: actions for name, actions in denied.items() if actions}


@pytest.mark.parametrize("name", sorted(set(API_SAMPLES) - PUBLIC))
def test_every_function_checks_the_token_itself(stack, name):
    for label, token in forged_tokens(stack).items():
        answer = invoke(stack, name, sample(name, token))
        assert answer["statusCode"] == 401, (name, label, answer)
        assert answer["headers"]["content-type"] == "application/problem+json"
    for header in [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer "]:
        event = sample(name)
        if header is None:
            del event["headers"]["authorization"]
        else:
            event["headers"]["authorization"] = header
        assert invoke(stack, name, event)["statusCode"] == 401, (name, header)


def test_send_notices_answers_its_stream_sample_with_a_summary(stack):
    """The sample is a stream record of a new notice that is not in the table: the notice
    cannot be taken (its lease is a conditional write on the pending item), so it is skipped,
    and nothing is sent."""
    event = json.loads((EVENTS / "send-notices.json").read_text())
    [record] = event["Records"]
    notice_id = record["dynamodb"]["NewImage"]["id"]["S"]
    assert stack.table.get_item(Key={"pk": f"NOTICE#{notice_id}", "sk": "NOTICE"}).get("Item") is None
    to = record["dynamodb"]["NewImage"]["to"]["S"]
    mails = len([m for m in stack.sent_mail() if to in m["destinations"]["ToAddresses"]])
    answer = invoke(stack, "send-notices", event)
    assert answer == {"due": 1, "sent": 0, "skipped": 1, "failed": 0, "set_aside": 0, "undeliverable": 0}, answer
    # The refused lease wrote nothing, and no mail went out.
    assert stack.table.get_item(Key={"pk": f"NOTICE#{notice_id}", "sk": "NOTICE"}).get("Item") is None
    assert len([m for m in stack.sent_mail() if to in m["destinations"]["ToAddresses"]]) == mails
    # A record that is not a new pending notice is not even looked at.
    record["eventName"] = "MODIFY"
    assert invoke(stack, "send-notices", event) == {"due": 0, "sent": 0, "skipped": 0, "failed": 0,
                                                    "set_aside": 0, "undeliverable": 0}


def test_ses_feedback_answers_its_sns_sample_with_a_summary(stack):
    """The sample is SES's bounce for a notice that is not in the table, from the feedback
    topic as the local stack names it: the function takes the message, finds no notice the
    outbox sent, and marks nothing."""
    event = json.loads((EVENTS / "ses-feedback.json").read_text())
    [record] = event["Records"]
    assert record["Sns"]["TopicArn"] == stack.info["sns_topics"]["SesFeedbackTopic"]
    recipient = json.loads(record["Sns"]["Message"])["mail"]["destination"][0]
    assert invoke(stack, "ses-feedback", event) == {"marked": 0, "transient": 0, "ignored": 1}
    key = {"pk": f"EMAIL#{recipient}", "sk": "UNDELIVERABLE"}
    assert stack.table.get_item(Key=key, ConsistentRead=True).get("Item") is None


def test_membership_followups_answers_its_stream_sample_with_a_summary(stack):
    """The sample is a closed business and a moving account that are not in the table: the step
    for each finds nothing to end or move, and the account's move cannot be ended (its user item
    is not there): nothing is written."""
    event = json.loads((EVENTS / "membership-followups.json").read_text())
    closed, moving = (r["dynamodb"]["NewImage"] for r in event["Records"])
    for image in (closed, moving):
        key = {"pk": image["pk"]["S"], "sk": image["sk"]["S"]}
        assert stack.table.get_item(Key=key, ConsistentRead=True).get("Item") is None
    answer = invoke(stack, "membership-followups", event)
    assert answer == {"followups": 2, "ended": 0, "moved": 0, "dropped": 0, "continued": 0, "finished": 0,
                      "told": 0, "delegations_ended": 0}, answer
    for image in (closed, moving):
        key = {"pk": image["pk"]["S"], "sk": image["sk"]["S"]}
        assert stack.table.get_item(Key=key, ConsistentRead=True).get("Item") is None
    # The same record twice in a batch is one step; a record that asks for nothing is none.
    event["Records"] = [event["Records"][0], event["Records"][0]]
    assert invoke(stack, "membership-followups", event)["followups"] == 1
    event["Records"][0]["dynamodb"]["NewImage"]["status"] = {"S": "authorized"}
    event["Records"] = event["Records"][:1]
    assert invoke(stack, "membership-followups", event)["followups"] == 0
