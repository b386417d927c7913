"""Dead letters of the table's stream (RELIABILITY.md section g): a batch send-notices keeps
failing on goes, after the retries, to the event source mapping's OnFailure queue as Lambda's
on-failure record (where the batch lies in the stream, not its records), and
ops/replay-dead-letters re-drives it: the notice is then sent, exactly once."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_reliability import notice_items
from test_users import mail_to, new_sub, profile

REPO = Path(__file__).resolve().parent.parent
REPLAY = REPO / "ops" / "replay-dead-letters"
QUEUE = "StreamDeadLetters"  # the template's OnFailure queue of both stream events


@pytest.fixture(autouse=True)
def faults_up(stack):
    stack.all_up()
    try:
        yield
    finally:
        stack.all_up()


def queue_url(stack):
    return stack.info["dead_letter_queues"][QUEUE]


def dead_letters(stack):
    """Every message in the queue now, left there (visible again at once)."""
    sqs = stack.moto("sqs")
    messages = sqs.receive_message(QueueUrl=queue_url(stack), MaxNumberOfMessages=10,
                                   VisibilityTimeout=0, WaitTimeSeconds=0).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def drain(stack):
    """Deletes what other tests left in the queue (membership follow-ups that kept failing).
    (PurgeQueue is allowed once a minute only.)"""
    sqs = stack.moto("sqs")
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url(stack), MaxNumberOfMessages=10,
                                       WaitTimeSeconds=0).get("Messages", [])
        if not messages:
            return
        for m in messages:
            sqs.delete_message(QueueUrl=queue_url(stack), ReceiptHandle=m["ReceiptHandle"])


def replay(stack, *args):
    env = {**os.environ,
           "AWS_REGION": stack.info["region"], "AWS_DEFAULT_REGION": stack.info["region"],
           "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_ENDPOINT_URL_SQS": stack.info["moto_url"],
           "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": stack.info["dynamodb_url"],
           "AWS_ENDPOINT_URL_LAMBDA": stack.info["watch_url"]}
    return subprocess.run([sys.executable, str(REPLAY), "--queue-url", queue_url(stack), *args],
                          env=env, capture_output=True, text=True, timeout=600)


def test_a_notice_whose_sending_kept_failing_is_sent_once_after_the_replay(stack):
    drain(stack)
    token, body = stack.token(new_sub()), profile()
    before = stack.stream("send-notices")
    # The notice is written with the account; DynamoDB then goes for the functions, so
    # send-notices cannot take it (its lease is a conditional write) and the batch fails.
    with stack.streams_paused():
        created = stack.call("POST", "/users", token=token, json=body)
        assert created.status_code == 201, created.text
        stack.fault("dynamodb", "down", settle=False)
    try:
        stack.settle()
    finally:
        stack.fault("dynamodb", "up")
    after = stack.stream("send-notices")
    assert after["dropped_batches"] - before["dropped_batches"] == 1, (before, after)
    assert after["dead_letters"] - before["dead_letters"] == 1, (before, after)
    [notice] = notice_items(stack, body["email"])
    assert notice["status"] == "pending", notice
    assert mail_to(stack, body["email"]) == []

    # Lambda's on-failure record: where the batch lies in the stream, not what it holds.
    [record] = dead_letters(stack)
    info = record["DDBStreamBatchInfo"]
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["requestContext"]["functionArn"].endswith(":function:send-notices")
    assert record["requestContext"]["approximateInvokeCount"] == 4  # 1 + MaximumRetryAttempts
    assert info["batchSize"] == 1 and info["startSequenceNumber"] == info["endSequenceNumber"]
    assert set(info) == {"shardId", "startSequenceNumber", "endSequenceNumber", "batchSize", "streamArn",
                         "approximateArrivalOfFirstRecord", "approximateArrivalOfLastRecord"}
    assert body["email"] not in json.dumps(record) and notice["pk"] not in json.dumps(record)

    # A dry run changes nothing.
    dry = replay(stack, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "would replay 1 record(s)" in dry.stdout, dry.stdout
    assert len(dead_letters(stack)) == 1 and mail_to(stack, body["email"]) == []

    # The replay reads the range back from the stream and hands it to send-notices: sent.
    done = replay(stack)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "replayed 1 record(s)" in done.stdout and "replayed 1, expired 0, failed 0" in done.stdout, done.stdout
    mails = mail_to(stack, body["email"])
    assert len(mails) == 1 and created.json()["urn"] in mails[0]["body"], mails
    [notice] = notice_items(stack, body["email"])
    assert notice["status"] == "sent" and "gsi1pk" not in notice, notice
    assert dead_letters(stack) == []

    # The same record delivered twice (SQS is at-least-once) and replayed again: the notice
    # is no longer pending, so nothing more is sent.
    stack.moto("sqs").send_message(QueueUrl=queue_url(stack), MessageBody=json.dumps(record))
    again = replay(stack)
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(mail_to(stack, body["email"])) == 1
    assert dead_letters(stack) == []


def test_a_replay_that_fails_leaves_the_message_for_the_next_run(stack):
    drain(stack)
    token, body = stack.token(new_sub()), profile()
    with stack.streams_paused():
        assert stack.call("POST", "/users", token=token, json=body).status_code == 201
        stack.fault("dynamodb", "down", settle=False)
    try:
        stack.settle()
        assert len(dead_letters(stack)) == 1
        failed = replay(stack)  # DynamoDB still down for the function: it fails again
    finally:
        stack.fault("dynamodb", "up")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "failed 1" in failed.stdout, failed.stdout
    assert mail_to(stack, body["email"]) == []
    assert len(dead_letters(stack)) == 1  # still there, for the next run
    done = replay(stack)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(mail_to(stack, body["email"])) == 1
