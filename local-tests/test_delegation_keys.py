"""Rotation of the delegation proof signing key (issue #17, part 4), end to end: the rotation
function's four steps invoked as Secrets Manager invokes them (moto's RotateSecret opens the
pending version, as Secrets Manager does; moto cannot run the function itself), then a proof
signed before still verifies offline and online, a new proof carries the new kid, a key past its
publication window is no longer published nor accepted, and a key dropped from the ring (revoked)
stops verifying."""

import hashlib
import json
import time
import uuid

import jwt as pyjwt
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from test_delegations import check, offered_and_accepted, proof_of
from test_users import assert_problem

SECRET_ID = "trade-portal/delegation-signing-key"
# shared/src/signing/ring.rs: PROOF_LIFE_SECONDS + GRACE_SECONDS
PUBLISHED_AFTER_RETIRING = (2 * 366 + 1) * 86_400 + 7 * 86_400
# The local stack's DELEGATION_KEYS_MAX_AGE_SECONDS is 1: a new key signs 2 s after it is added.
NEW_KEY_SIGNS_AFTER = 3


def rotation_step(stack, step, version):
    event = {"SecretId": SECRET_ID, "ClientRequestToken": version, "Step": step}
    url = f"{stack.info['watch_url']}/2015-03-31/functions/rotate-delegation-key/invocations"
    response = requests.post(url, data=json.dumps(event), timeout=180)
    assert response.status_code == 200, response.text
    return response.json()


def rotate(stack):
    """What Secrets Manager does for RotateSecret: a pending version, then the four steps."""
    version = str(uuid.uuid4())
    stack.moto("secretsmanager").rotate_secret(SecretId=SECRET_ID, ClientRequestToken=version,
                                               RotationRules={"AutomaticallyAfterDays": 90})
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
    ring = json.loads(sm.get_secret_value(SecretId=SECRET_ID)["SecretString"])
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


def key_of(seed):
    """The Ed25519 key and kid the portal makes from a seed (shared/src/signing.rs)."""
    private = Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(b"trade-portal delegation proof signing key v1\0" + seed.encode()).digest())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return private, "dlg-" + hashlib.sha256(public).hexdigest()[:16]


def test_a_key_past_its_window_or_revoked_is_not_published_and_its_proofs_are_refused(stack):
    (_, _, _), (b_token, b_id, _), delegation_id = offered_and_accepted(stack)
    sm = stack.moto("secretsmanager")
    original = sm.get_secret_value(SecretId=SECRET_ID)["SecretString"]
    if not original.lstrip().startswith("{"):
        original = json.dumps({"keys": [{"seed": original, "signs_from": 0}]})
    ring = json.loads(original)
    # A key that stopped signing longer ago than any proof can live (and its grace): the next
    # key, the earliest of the ring, started at 0 at the latest.
    aged_seed = "aged" + uuid.uuid4().hex * 2
    earliest = min(k["signs_from"] for k in ring["keys"])
    aged = {"seed": aged_seed, "signs_from": earliest - 2 * PUBLISHED_AFTER_RETIRING}
    aged_key, aged_kid = key_of(aged_seed)
    claims = {"iss": "trade-portal-accounts", "sub": delegation_id, "exp": int(time.time()) + 3600}
    aged_proof = pyjwt.encode(claims, aged_key, algorithm="EdDSA", headers={"kid": aged_kid})
    current_proof = proof_of(stack, b_token, b_id, delegation_id).json()
    try:
        sm.put_secret_value(SecretId=SECRET_ID, SecretString=json.dumps({"keys": [aged] + ring["keys"]}))
        time.sleep(2)  # every warm function has read the ring again
        jwks = published(stack)
        assert aged_kid not in jwks and current_proof["kid"] in jwks
        assert_problem(check(stack, aged_proof), 422)
        assert check(stack, current_proof["proof"]).json()["in_force"] is True

        # Revoking: the operator drops the leaked key from the ring; its proofs stop verifying.
        current_kid = current_proof["kid"]
        kept = [k for k in ring["keys"] if key_of(k["seed"])[1] != current_kid]
        replacement = {"seed": uuid.uuid4().hex * 2, "signs_from": int(time.time())}
        sm.put_secret_value(SecretId=SECRET_ID, SecretString=json.dumps({"keys": kept + [replacement]}))
        wait_for(lambda: current_kid not in published(stack))
        assert_problem(check(stack, current_proof["proof"]), 422)
        fresh = proof_of(stack, b_token, b_id, delegation_id).json()
        assert fresh["kid"] == key_of(replacement["seed"])[1]
        assert check(stack, fresh["proof"]).json()["in_force"] is True
    finally:
        sm.put_secret_value(SecretId=SECRET_ID, SecretString=original)
        time.sleep(2)
