"""Tests of the local stack itself: the gateway, the authorizer, and what stack.py creates."""

import base64
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import apigw
from cfn_template import (dynamodb_stream_sources, http_api_routes, load_template, pattern_matches,
                          table_properties)
from stack import descendants

TEMPLATE = load_template()


def gateway_log_line(stack, request_id):
    lines = (stack.logs_dir / "gateway.log").read_text().splitlines()
    return next(line for line in lines if request_id in line)


def other_key_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


# ---------------------------------------------------------------- through the gateway

def test_health_through_the_gateway(stack):
    r = stack.call("GET", "/health")
    assert r.status_code == 200
    assert r.headers["apigw-requestid"]


def test_fifty_concurrent_requests(stack):
    def get(_):
        return requests.get(stack.api + "/health", timeout=120).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        assert list(pool.map(get, range(50))) == [200] * 50


@pytest.mark.parametrize("method, path", [("GET", "/nope"), ("DELETE", "/health"),
                                          ("GET", "/_local/token"), ("GET", "/health/"),
                                          ("DELETE", "/_local/streams"),
                                          # Methods no route has: API Gateway's 404 JSON, not
                                          # an HTML 501 from the HTTP server.
                                          ("TRACE", "/health"), ("TRACE", "/users/me"),
                                          ("PROPFIND", "/businesses"),
                                          ("TRACE", "/")])
def test_unknown_route_is_not_found(stack, method, path):
    r = stack.call(method, path)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"message": "Not Found"}


def bad_tokens(stack):
    now = int(time.time())
    return {
        "missing": None,
        "not a JWT": "not-a-jwt",
        "bad signature": stack.token("user-1", key=other_key_pem()),
        "unknown kid": stack.token("user-1", kid="someone-else"),
        "expired": stack.token("user-1", iat=now - 7200, nbf=now - 7200, exp=now - 3600),
        "not yet valid": stack.token("user-1", nbf=now + 600),
        "no exp": stack.token("user-1", exp=None),
        "wrong audience": stack.token("user-1", aud="another-api"),
        "wrong issuer": stack.token("user-1", iss="https://idp.elsewhere.test"),
    }


@pytest.mark.parametrize("case", ["missing", "not a JWT", "bad signature", "unknown kid", "expired",
                                  "not yet valid", "no exp", "wrong audience", "wrong issuer"])
def test_authorizer_refuses_without_invoking_the_function(stack, case):
    r = stack.call("GET", "/users/me", token=bad_tokens(stack)[case])
    assert r.status_code == 401
    assert r.json() == {"message": "Unauthorized"}
    assert r.headers["www-authenticate"].startswith('Bearer scope="" error="invalid_token"')
    assert "not invoked" in gateway_log_line(stack, r.headers["apigw-requestid"])


def test_valid_token_reaches_the_function(stack):
    # A credential with no user account yet: the function itself answers 404 (problem+json).
    r = stack.call("GET", "/users/me", token=stack.token(f"fresh-{time.time_ns()}"))
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_body_over_api_gateway_quota_is_refused(stack):
    r = stack.call("POST", "/users", data=b"x" * (apigw.MAX_BODY + 1))
    assert r.status_code == 413


def test_functions_see_their_environment(stack):
    assert stack.call("GET", "/health").status_code == 200
    health = next(pid for pid in descendants(stack.info["pid"])
                  if Path(f"/proc/{pid}/comm").read_text().strip() == "health")
    raw = Path(f"/proc/{health}/environ").read_bytes().split(b"\0")
    env = dict(item.decode().split("=", 1) for item in raw if b"=" in item)
    expected = {
        "TABLE_NAME": stack.info["table_name"],
        "JWT_KEYS_SECRET_ID": "trade-portal/jwt-keys",
        "PEPPER_SECRET_ID": "trade-portal/pepper",
        "DELEGATION_KEY_SECRET_ID": "trade-portal/delegation-signing-key",
        "NOTICE_SENDER": "no-reply@trade-portal.example",
        "AGENCY_NOTICE_EMAIL": "code-watch@agency.trade-portal.example",
        "JWT_ISSUER": stack.info["jwt_issuer"],
        "JWT_AUDIENCE": stack.info["jwt_audience"],
        "AWS_REGION": stack.info["region"],
        # The functions reach the emulators through the fault proxies.
        "AWS_ENDPOINT_URL_DYNAMODB": stack.info["fault_proxies"]["dynamodb"],
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": stack.info["fault_proxies"]["secretsmanager"],
        "AWS_ENDPOINT_URL_SESV2": stack.info["fault_proxies"]["ses"],
        "AWS_LAMBDA_LOG_FORMAT": "JSON",
    }
    assert {k: env.get(k) for k in expected} == expected


# ---------------------------------------------------------------- POST /_local/token

@pytest.mark.parametrize("body", [{"idp": "gckey"}, {"sub": "", "idp": "gckey"},
                                  {"sub": "u", "idp": "facebook"}, {"sub": "u"},
                                  {"sub": "u", "idp": "gckey", "roles": "agency-officer"}, [1]])
def test_local_token_rejects_bad_requests(stack, body):
    assert stack.call("POST", "/_local/token", json=body).status_code == 400


def test_local_token_is_signed_with_the_published_key(stack):
    r = stack.call("POST", "/_local/token",
                   json={"sub": "user-7", "idp": "sign-in-partner", "roles": ["agency-officer"],
                         "ttl_seconds": 60})
    assert r.status_code == 200
    answer = r.json()
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 60
    jwks = json.loads(stack.moto("secretsmanager").get_secret_value(
        SecretId="trade-portal/jwt-keys")["SecretString"])
    key = jwt.PyJWK(jwks["keys"][0])
    claims = jwt.decode(answer["access_token"], key.key, algorithms=["RS256"],
                        audience=stack.info["jwt_audience"], issuer=stack.info["jwt_issuer"])
    assert claims["sub"] == "user-7" and claims["idp"] == "sign-in-partner"
    assert claims["roles"] == ["agency-officer"]
    assert claims["exp"] - claims["iat"] == 60 and claims["nbf"] == claims["iat"]


# ---------------------------------------------------------------- what stack.py created

def test_table_is_the_templates(stack):
    props = table_properties(TEMPLATE)
    table = stack.ddb.describe_table(TableName=stack.info["table_name"])["Table"]
    assert table["KeySchema"] == props["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(props["AttributeDefinitions"], key=str)
    assert table["BillingModeSummary"]["BillingMode"] == props["BillingMode"]
    assert {(i["IndexName"], json.dumps(i["KeySchema"]), i["Projection"]["ProjectionType"])
            for i in table["GlobalSecondaryIndexes"]} == \
           {(i["IndexName"], json.dumps(i["KeySchema"]), i["Projection"]["ProjectionType"])
            for i in props["GlobalSecondaryIndexes"]}
    ttl = stack.ddb.describe_time_to_live(TableName=stack.info["table_name"])
    assert ttl["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": props["TimeToLiveSpecification"]["AttributeName"],
    }


def test_table_has_the_templates_stream(stack):
    view = table_properties(TEMPLATE)["StreamSpecification"]["StreamViewType"]
    table = stack.ddb.describe_table(TableName=stack.info["table_name"])["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": view}
    assert table["LatestStreamArn"]


def test_stream_pollers_follow_the_templates_events(stack):
    sources = dynamodb_stream_sources(TEMPLATE)
    states = stack.streams()["sources"]
    # One poller per DynamoDB event of the template, in template order.
    assert [s["function"] for s in states] == [s.binary for s in sources] == \
           ["send-notices", "membership-followups"]
    settled = stack.settle()["sources"]
    for source, state, after in zip(sources, states, settled):
        assert state["event"] == f"{source.function}.{source.event}" and not state["paused"]
        assert state["stream_arn"].startswith(f"arn:aws:dynamodb:{stack.info['region']}:")
        # settle waited for a full pass of every poller.
        assert after["passes"] > state["passes"] and after["open_shards"] >= 1
    assert (stack.logs_dir / "streams.log").exists()


def test_settle_refuses_bad_requests_and_a_paused_poller(stack):
    for body in [{"timeout_seconds": 0}, {"timeout_seconds": "5"}, {"timeout_seconds": 301}, [1]]:
        assert stack.call("POST", "/_local/streams/settle", json=body).status_code == 400, body
    assert stack.call("POST", "/_local/streams", json={"paused": "yes"}).status_code == 400
    with stack.streams_paused():
        assert stack.stream()["paused"]
        r = stack.call("POST", "/_local/streams/settle", json={"timeout_seconds": 1})
        assert r.status_code == 409 and "paused" in r.json()["message"]
    assert not stack.stream()["paused"]
    assert stack.call("POST", "/_local/streams/settle", json={}).status_code == 200


def test_secrets_exist(stack):
    secrets = stack.moto("secretsmanager")
    jwks = json.loads(secrets.get_secret_value(SecretId="trade-portal/jwt-keys")["SecretString"])
    [key] = jwks["keys"]
    assert key["kid"] == stack.info["jwt_kid"]
    assert {k: key[k] for k in ("kty", "alg", "use")} == {"kty": "RSA", "alg": "RS256", "use": "sig"}
    assert "d" not in key  # public half only
    pepper = secrets.get_secret_value(SecretId="trade-portal/pepper")["SecretString"]
    assert re.fullmatch(r"[0-9a-f]{64}", pepper)


def test_sender_identity_is_verified(stack):
    identity = stack.moto("sesv2").get_email_identity(EmailIdentity="trade-portal.example")
    assert identity["IdentityType"] == "DOMAIN"
    assert identity["VerificationStatus"] == "SUCCESS"


# ---------------------------------------------------------------- the gateway's translation (no stack)

def test_routes_come_from_the_template():
    routes = {r.route_key: r for r in http_api_routes(TEMPLATE)}
    assert routes["GET /health"].binary == "health" and routes["GET /health"].public
    assert not routes["GET /users/me"].public


def test_event_is_api_gateway_payload_2():
    route = next(r for r in http_api_routes(TEMPLATE) if r.route_key == "GET /users/me")
    event = apigw.build_event(
        route=route, path_params={}, method="GET", target="/users/me?a=1&a=2&b=",
        header_items=[("Host", "127.0.0.1:8080"), ("X-Thing", "one"), ("x-thing", "two"),
                      ("Cookie", "s=1; t=2"), ("User-Agent", "pytest")],
        body=b"\xff\x00", source_ip="127.0.0.1",
        claims={"sub": "u1", "roles": ["agency-officer", "x"], "exp": 1700000000},
        request_id="req-1", now=1700000000.5,
    )
    assert event["version"] == "2.0" and event["routeKey"] == "GET /users/me"
    assert event["rawPath"] == "/users/me" and event["rawQueryString"] == "a=1&a=2&b="
    assert event["queryStringParameters"] == {"a": "1,2", "b": ""}
    assert event["headers"]["x-thing"] == "one,two" and "cookie" not in event["headers"]
    assert event["cookies"] == ["s=1", "t=2"]
    assert event["isBase64Encoded"] and base64.b64decode(event["body"]) == b"\xff\x00"
    context = event["requestContext"]
    assert context["authorizer"]["jwt"] == {
        "claims": {"sub": "u1", "roles": "[agency-officer x]", "exp": "1700000000"},
        "scopes": None,
    }
    assert context["http"] == {"method": "GET", "path": "/users/me", "protocol": "HTTP/1.1",
                               "sourceIp": "127.0.0.1", "userAgent": "pytest"}
    assert context["stage"] == "$default" and context["timeEpoch"] == 1700000000500
    assert context["time"] == "14/Nov/2023:22:13:20 +0000"


def test_function_answers_become_http_responses():
    status, headers, body = apigw.http_response(json.dumps({
        "statusCode": 201, "headers": {"content-type": "application/json"},
        "cookies": ["a=1"], "body": base64.b64encode(b"\x00bin").decode(), "isBase64Encoded": True,
    }))
    assert (status, body) == (201, b"\x00bin")
    assert ("set-cookie", "a=1") in headers
    # Payload 2.0 without statusCode: the JSON itself is a 200 body.
    assert apigw.http_response(b'{"hello":"world"}')[0::2] == (200, b'{"hello":"world"}')
    with pytest.raises(apigw.FunctionFailed):
        apigw.http_response('{"errorType":"Panic","errorMessage":"boom"}')


# ---------------------------------------------------------------- the stream event sources (no stack)

def source_of(binary):
    return next(s for s in dynamodb_stream_sources(TEMPLATE) if s.binary == binary)


def test_stream_sources_come_from_the_template():
    sources = dynamodb_stream_sources(TEMPLATE)
    assert [s.binary for s in sources] == ["send-notices", "membership-followups"]
    for source in sources:
        event = TEMPLATE["Resources"][source.function]["Properties"]["Events"][source.event]["Properties"]
        assert source.binary == TEMPLATE["Resources"][source.function]["Metadata"]["BuildProperties"]["Binary"]
        assert source.table == "AccountsTable"
        assert source.starting_position == event["StartingPosition"]
        assert source.batch_size == event["BatchSize"]
        assert source.maximum_retry_attempts == event["MaximumRetryAttempts"]
        assert source.bisect_on_error == event["BisectBatchOnFunctionError"]
        # A batch given up on goes to the dead letters (ops/replay-dead-letters).
        assert source.on_failure == "StreamDeadLetters"
        assert TEMPLATE["Resources"]["StreamDeadLetters"]["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
        assert [json.dumps(p, sort_keys=True) for p in source.patterns] == \
               [json.dumps(json.loads(f["Pattern"]), sort_keys=True) for f in event["FilterCriteria"]["Filters"]]


def notice_record(event_name="INSERT", sk="NOTICE"):
    return {"eventName": event_name, "eventSource": "aws:dynamodb",
            "dynamodb": {"Keys": {"pk": {"S": "NOTICE#1"}, "sk": {"S": sk}},
                         "NewImage": {"pk": {"S": "NOTICE#1"}, "sk": {"S": sk}}}}


def test_the_templates_filter_lets_only_new_notices_through():
    source = source_of("send-notices")
    sample = json.loads((Path(__file__).resolve().parent.parent / "events" / "send-notices.json").read_text())
    assert source.passes(sample["Records"][0])
    assert source.passes(notice_record())
    assert not source.passes(notice_record("MODIFY"))
    assert not source.passes(notice_record("REMOVE"))
    assert not source.passes(notice_record(sk="USER"))
    assert not source.passes({"eventName": "INSERT", "dynamodb": {"Keys": {"pk": {"S": "NOTICE#1"}}}})


def image_record(event_name, keys, image):
    """A stream record as the poller hands it over: keys and new image in DynamoDB JSON."""
    return {"eventName": event_name, "eventSource": "aws:dynamodb",
            "dynamodb": {"Keys": keys, "NewImage": image} if image is not None else {"Keys": keys}}


def business_record(event_name="MODIFY", status="closed", sk="META"):
    keys = {"pk": {"S": "BUS#b1"}, "sk": {"S": sk}}
    return image_record(event_name, keys, {**keys, "status": {"S": status}} if status else {**keys})


def user_record(event_name="INSERT", moving_from=True):
    keys = {"pk": {"S": "CRED#gckey#new"}, "sk": {"S": "USER"}}
    image = {**keys, "urn": {"S": "1234567894"}}
    if moving_from:
        image["moving_from"] = {"M": {"idp": {"S": "gckey"}, "sub": {"S": "old"}}}
    return image_record(event_name, keys, image)


def test_the_templates_filters_let_only_closed_businesses_moving_accounts_and_members_to_tell_through():
    """The follow-up's two filters on the new image: a business's META that is closed (the close,
    or a step asking for the next), and a user item that says moving_from (the claim's INSERT, or
    a step's MODIFY asking for the next); nothing else the table writes."""
    source = source_of("membership-followups")
    sample = json.loads((Path(__file__).resolve().parent.parent / "events" / "membership-followups.json").read_text())
    assert all(source.passes(record) for record in sample["Records"])
    assert source.passes(business_record()) and source.passes(business_record("INSERT"))
    assert not source.passes(business_record(status="authorized"))
    assert not source.passes(business_record(status=None))
    assert not source.passes(business_record(sk="MEMBER#1234567894"))
    assert not source.passes(image_record("REMOVE", {"pk": {"S": "BUS#b1"}, "sk": {"S": "META"}}, None))
    assert source.passes(user_record()) and source.passes(user_record("MODIFY"))
    assert not source.passes(user_record(moving_from=False))  # the move ended, or never needed
    assert not source.passes(user_record("MODIFY", moving_from=False))
    assert not source.passes(image_record("REMOVE", {"pk": {"S": "CRED#gckey#new"}, "sk": {"S": "USER"}}, None))
    notice = notice_record()
    notice["dynamodb"]["NewImage"]["status"] = {"S": "closed"}
    assert not source.passes(notice)
    assert not source_of("send-notices").passes(business_record())
    # Members still to be told of an owner recovery: the record new, or moved on; not deleted.
    tell_key = {"pk": {"S": "TELL#t1"}, "sk": {"S": "TELL"}}
    tell_image = {**tell_key, "tell_id": {"S": "t1"}, "after": {"S": ""}}
    assert source.passes(image_record("INSERT", tell_key, tell_image))
    assert source.passes(image_record("MODIFY", tell_key, {**tell_image, "after": {"S": "1234567894"}}))
    assert not source.passes(image_record("REMOVE", tell_key, None))
    assert not source_of("send-notices").passes(image_record("INSERT", tell_key, tell_image))


def test_event_patterns_match_as_lambda_filters_do():
    assert pattern_matches({"a": ["x", "y"]}, {"a": "y", "b": 1})
    assert not pattern_matches({"a": ["x"]}, {"b": "x"})  # a key of the pattern must be there
    assert pattern_matches({"a": {"b": [1]}}, {"a": {"b": 1.0}})
    assert not pattern_matches({"a": {"b": ["1"]}}, {"a": {"b": 1}})  # a string is not a number
    assert pattern_matches({"a": ["x"]}, {"a": ["w", "x"]})  # any element of a list
    assert pattern_matches({"a": [None]}, {"a": None}) and not pattern_matches({"a": [False]}, {"a": 0})
    assert pattern_matches({"a": [{"prefix": "NOTICE#"}]}, {"a": "NOTICE#1"})
    assert pattern_matches({"a": [{"anything-but": ["x"]}]}, {"a": "y"})
    assert not pattern_matches({"a": [{"anything-but": "x"}]}, {"a": "x"})
    assert pattern_matches({"a": [{"exists": False}]}, {}) and not pattern_matches({"a": [{"exists": True}]}, {})
    assert pattern_matches({"n": [{"numeric": [">", 0, "<=", 5]}]}, {"n": 5})
    assert not pattern_matches({"n": [{"numeric": [">", 0]}]}, {"n": "5"})
    assert not pattern_matches({"a": {"b": ["x"]}}, {"a": "x"})  # an object pattern needs an object
    # Nested fields, as in a stream record's NewImage: exists looks at the leaf, wherever it is.
    assert pattern_matches({"a": {"M": {"b": {"S": [{"exists": True}]}}}}, {"a": {"M": {"b": {"S": "x"}}}})
    assert not pattern_matches({"a": {"M": {"b": {"S": [{"exists": True}]}}}}, {})
    assert pattern_matches({"a": {"M": {"b": {"S": [{"exists": False}]}}}}, {})  # no parent: no leaf
    assert pattern_matches({"a": {"b": [{"exists": False}]}}, {"a": "x"})
    with pytest.raises(ValueError):
        pattern_matches({"a": "x"}, {"a": "x"})


def test_every_function_has_a_log_group_with_the_retention_parameter():
    """Lambda's own log groups keep everything forever: each function's is in the template,
    under the name Lambda writes to, with the retention parameter."""
    groups = {}
    for resource in TEMPLATE["Resources"].values():
        if resource["Type"] == "AWS::Logs::LogGroup" and "LogGroupName" in resource["Properties"]:
            name = resource["Properties"]["LogGroupName"]
            groups[name.get("Fn::Sub") if isinstance(name, dict) else name] = resource["Properties"]
    for logical_id, resource in TEMPLATE["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            group = groups.get(f"/aws/lambda/${{{logical_id}}}")
            assert group is not None, f"{logical_id} has no log group"
            assert group["RetentionInDays"] == {"Ref": "FunctionLogRetentionDays"}, logical_id

