"""Rotation of the delegation proof signing key (issue #17, part 4), end to end: the rotation
function's four steps invoked as Secrets Manager invokes them, with its event (moto's RotateSecret
cannot invoke a function of cargo lambda watch, and without one it makes its own empty version
current: it only turns rotation on here, with RotateImmediately off), then a proof
signed before still verifies offline and online and a new proof carries the new kid. (Which keys
are published when, and a dropped key's proofs refused: the table tests in shared/src/signing.)"""

import json
import time
import uuid

import jwt as pyjwt
import requests

from test_delegations import check, offered_and_accepted, proof_of

SECRET_ID = "trade-portal/delegation-signing-key"
# The local stack's DELEGATION_KEYS_MAX_AGE_SECONDS is 1: a new key signs 2 s after it is added.
NEW_KEY_SIGNS_AFTER = 3


def rotation_step(stack, step, version):
    event = {"SecretId": SECRET_ID, "ClientRequestToken": version, "Step": step}
    url = f"{stack.info['watch_url']}/2015-03-31/functions/rotate-delegation-key/invocations"
    response = requests.post(url, data=json.dumps(event), timeout=180)
    assert response.status_code == 200, response.text
    return response.json()


def rotate(stack):
    """What Secrets Manager does for a rotation: the four steps on a new version."""
    stack.moto("secretsmanager").rotate_secret(SecretId=SECRET_ID, RotateImmediately=False,
                                               RotationRules={"AutomaticallyAfterDays": 90})
    version = str(uuid.uuid4())
    answers = [rotation_step(stack, step, version)
               for step in ("createSecret", "setSecret", "testSecret", "finishSecret")]
    return version, answers


def published(stack):
    keys = stack.call("GET", "/.well-known/delegation-keys")
    assert keys.status_code == 200, keys.text
    return {k["kid"]: k for k in keys.json()["keys"]}


def verify_offline(proof, jwks):
    kid = pyjwt.get_unverified_header(proof)["kid"]
    return pyjwt.decode(proof, pyjwt.PyJWK(jwks[kid]).key, algorithms=["EdDSA"])


def wait_for(condition, seconds=10):
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, "not in time"
        time.sleep(0.5)


def test_a_rotation_adds_a_key_and_proofs_signed_before_still_verify(stack):
    (a_token, a_id, _), (b_token, b_id, _), delegation_id = offered_and_accepted(stack)
    before = proof_of(stack, b_token, b_id, delegation_id).json()
    old_kid = before["kid"]
    assert old_kid in published(stack)

    version, answers = rotate(stack)
    assert [a["outcome"] for a in answers] == ["created", "nothing to set", "tested", "made current"]
    kids = answers[0]["kids"]
    assert old_kid in kids and len(kids) >= 2 and kids[-1] != old_kid
    new_kid = kids[-1]
    sm = stack.moto("secretsmanager")
    stages = sm.describe_secret(SecretId=SECRET_ID)["VersionIdsToStages"]
    assert "AWSCURRENT" in stages[version]
    # A step invoked again (Secrets Manager retries) changes nothing.
    assert rotation_step(stack, "createSecret", version)["outcome"] == "already current"
    ring = json.loads(sm.get_secret_value(SecretId=SECRET_ID, VersionStage="AWSCURRENT")["SecretString"])
    assert len(ring["keys"]) == len(kids)

    # Both keys are published (the new one before it signs); the old proof verifies both ways.
    wait_for(lambda: new_kid in published(stack))
    jwks = published(stack)
    assert old_kid in jwks
    assert verify_offline(before["proof"], jwks)["sub"] == delegation_id
    assert check(stack, before["proof"]).json()["in_force"] is True

    # Once its time has come, the new key signs, and its proofs verify both ways too.
    time.sleep(NEW_KEY_SIGNS_AFTER)
    after = proof_of(stack, a_token, a_id, delegation_id).json()
    assert after["kid"] == new_kid == pyjwt.get_unverified_header(after["proof"])["kid"]
    assert verify_offline(after["proof"], published(stack))["sub"] == delegation_id
    assert check(stack, after["proof"]).json()["in_force"] is True
    assert check(stack, before["proof"]).json()["in_force"] is True
