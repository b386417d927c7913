"""SES bounces and complaints, through the path the template deploys: SES's event (the JSON AWS
documents for configuration-set event publishing) published to the feedback SNS topic, the
topic's subscription invoking ses-feedback, the mark on the address, and the outbox skipping
notices to it. moto keeps the configuration set's event destination but never publishes SES
events itself, so each test publishes the event SES would, for a message the outbox really sent
(its SES message id and notice tag as the outbox stored them)."""

import json
import uuid

import requests

from test_users import ask_email, code_sent_to, confirm, create, new_address, new_sub, notices_of, user_item

FEEDBACK_TOPIC = "SesFeedbackTopic"


def sent_notices(stack, address):
    """The notices the outbox sent to `address`, oldest first."""
    stack.settle()
    sent = [n for n in notices_of(stack, {address}) if n["status"] == "sent"]
    return sorted(sent, key=lambda n: n["created_at"])


def ses_event(stack, notice, kind="Bounce", bounce_type="Permanent", sub_type="General", to=None,
              message_id=None, notice_id=None):
    """SES's event for `notice` as its configuration set publishes it to SNS."""
    to = to or notice["to"]
    mail = {
        "timestamp": "2026-11-26T02:00:00.000Z",
        "source": "no-reply@trade-portal.example",
        "sendingAccountId": "123456789012",
        "messageId": message_id or notice["ses_message_id"],
        "destination": [to],
        "headersTruncated": False,
        "tags": {"ses:configuration-set": [stack.info["ses_configuration_set"]],
                 "ses:from-domain": ["trade-portal.example"],
                 "notice": [notice_id or notice["id"]]},
    }
    if kind == "Bounce":
        return {"eventType": "Bounce", "mail": mail, "bounce": {
            "bounceType": bounce_type, "bounceSubType": sub_type,
            "bouncedRecipients": [{"emailAddress": to, "action": "failed", "status": "5.1.1",
                                   "diagnosticCode": "smtp; 550 5.1.1 user unknown"}],
            "timestamp": "2026-11-26T02:00:01.000Z", "feedbackId": str(uuid.uuid4()),
            "reportingMTA": "dsn; a1-23.smtp-out.amazonses.com"}}
    return {"eventType": "Complaint", "mail": mail, "complaint": {
        "complainedRecipients": [{"emailAddress": to}], "timestamp": "2026-11-26T02:00:01.000Z",
        "feedbackId": str(uuid.uuid4()), "userAgent": "Mail/1.0", "complaintFeedbackType": "abuse",
        "arrivalDate": "2026-11-26T02:00:00.000Z"}}


def publish(stack, event):
    """Publishes to the feedback topic in moto; its subscription has run ses-feedback when this
    returns (the local stack's SNS bridge invokes the function before it answers moto)."""
    sns = stack.moto("sns")
    sns.publish(TopicArn=stack.info["sns_topics"][FEEDBACK_TOPIC], Message=json.dumps(event))


def mark(stack, address):
    return stack.table.get_item(Key={"pk": f"EMAIL#{address.lower()}", "sk": "UNDELIVERABLE"},
                                ConsistentRead=True).get("Item")


def me(stack, sub):
    response = stack.call("GET", "/users/me", token=stack.token(sub))
    assert response.status_code == 200, response.text
    return response.json()


def new_person(stack):
    sub = new_sub()
    created, body = create(stack, sub)
    assert created.status_code == 201, created.text
    [urn_notice] = sent_notices(stack, body["email"])
    return sub, body["email"], urn_notice


def test_a_permanent_bounce_stops_notices_until_a_new_address_is_confirmed(stack):
    sub, address, notice = new_person(stack)
    assert me(stack, sub)["email_status"] == "deliverable"

    publish(stack, ses_event(stack, notice, sub_type="NoEmail"))
    seen = me(stack, sub)
    assert seen["email_status"] == "undeliverable", seen
    assert seen["email_undeliverable_reason"] == "bounced"
    assert seen["email_undeliverable_since"] == "2026-11-26T02:00:01.000Z"
    marked = mark(stack, address)
    assert (marked["reason"], marked["detail"], marked["ses_message_id"], marked["notice_id"]) == (
        "bounced", "NoEmail", notice["ses_message_id"], notice["id"])
    # The account the notice went to carries the mark too (GET /users/me reads only it), as a
    # new version of the account.
    account = user_item(stack, sub)
    assert account["undeliverable"]["ses_message_id"] == notice["ses_message_id"], account
    assert notice["recipient_urn"] == account["urn"]

    # The same SES event again (SNS delivers at least once) changes nothing.
    publish(stack, ses_event(stack, notice, sub_type="NoEmail"))
    assert mark(stack, address) == marked

    # The next notice to that address is kept as skipped, with why, and SES sends it nothing;
    # the code for the new address (not marked) goes.
    before = [m for m in stack.sent_mail() if address in m["destinations"]["ToAddresses"]]
    fresh = new_address()
    ask_email(stack, sub, fresh)
    code = code_sent_to(stack, fresh)
    after = [m for m in stack.sent_mail() if address in m["destinations"]["ToAddresses"]]
    assert after == before
    [skipped] = [n for n in notices_of(stack, {address}) if n["kind"] == "email_change_asked"]
    assert skipped["status"] == "skipped", skipped
    assert "undeliverable (bounced: NoEmail)" in skipped["skipped_reason"]
    assert "gsi1pk" not in skipped  # out of the pending index: the schedule will not retry it

    # Confirming the new address clears it for the account; the old address keeps its mark.
    assert confirm(stack, sub, code).status_code == 200
    seen = me(stack, sub)
    assert (seen["email"], seen["email_status"]) == (fresh, "deliverable")
    assert "email_undeliverable_reason" not in seen
    assert mark(stack, address) == marked


def test_a_complaint_marks_the_address(stack):
    sub, address, notice = new_person(stack)
    publish(stack, ses_event(stack, notice, kind="Complaint"))
    seen = me(stack, sub)
    assert (seen["email_status"], seen["email_undeliverable_reason"]) == ("undeliverable", "complained")
    assert mark(stack, address)["detail"] == "abuse"


def test_a_transient_bounce_changes_nothing(stack):
    sub, address, notice = new_person(stack)
    for bounce_type, sub_type in [("Transient", "MailboxFull"), ("Undetermined", "Undetermined")]:
        publish(stack, ses_event(stack, notice, bounce_type=bounce_type, sub_type=sub_type))
    assert mark(stack, address) is None
    assert me(stack, sub)["email_status"] == "deliverable"
    # Notices still go.
    before = len(sent_notices(stack, address))
    ask_email(stack, sub, new_address())
    assert len(sent_notices(stack, address)) == before + 1


def test_forged_feedback_cannot_mark_someone_elses_address(stack):
    """An attacker knows the victim's address and has an account (and notices) of their own."""
    _, victim, victim_notice = new_person(stack)
    _, attacker, attacker_notice = new_person(stack)

    # Their own notice, with the victim's address as the bounced recipient.
    publish(stack, ses_event(stack, attacker_notice, to=victim))
    # The victim's notice id (guessed or leaked), without the SES message id SES gave it.
    publish(stack, ses_event(stack, victim_notice, message_id=attacker_notice["ses_message_id"]))
    publish(stack, ses_event(stack, victim_notice, message_id=f"forged-{uuid.uuid4()}"))
    # An event that names no notice.
    event = ses_event(stack, victim_notice)
    del event["mail"]["tags"]["notice"]
    publish(stack, event)
    assert mark(stack, victim) is None and mark(stack, attacker) is None

    # Straight at the function (in AWS only SNS may invoke it; here watch's invoke API is
    # open), with the right SES ids but from a topic of the attacker's: ignored.
    other_topic = stack.moto("sns").create_topic(Name=f"attacker-{uuid.uuid4().hex[:8]}")["TopicArn"]
    forged = {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                           "EventSubscriptionArn": f"{other_topic}:{uuid.uuid4()}",
                           "Sns": {"Type": "Notification", "MessageId": str(uuid.uuid4()),
                                   "TopicArn": other_topic, "Message": json.dumps(ses_event(stack, victim_notice)),
                                   "Timestamp": "2026-11-26T02:00:02.000Z", "MessageAttributes": {}}}]}
    url = f"{stack.info['watch_url']}/2015-03-31/functions/ses-feedback/invocations"
    answer = requests.post(url, data=json.dumps(forged), timeout=300)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"marked": 0, "transient": 0, "ignored": 1}
    assert mark(stack, victim) is None


def test_a_bounce_about_an_address_the_account_no_longer_has_marks_only_the_address(stack):
    sub, address, notice = new_person(stack)
    fresh = new_address()
    ask_email(stack, sub, fresh)
    assert confirm(stack, sub, code_sent_to(stack, fresh)).status_code == 200
    version = int(user_item(stack, sub)["version"])
    # SES's report about the first notice comes late, after the change.
    publish(stack, ses_event(stack, notice))
    assert mark(stack, address)["notice_id"] == notice["id"]
    account = user_item(stack, sub)
    assert "undeliverable" not in account and int(account["version"]) == version
    assert me(stack, sub)["email_status"] == "deliverable"


def test_feedback_lambda_gave_up_on_goes_to_its_dead_letters_and_the_replay_marks_the_address(stack):
    """SNS invokes ses-feedback asynchronously: with DynamoDB down, Lambda's three tries fail and
    the event goes to SesFeedbackDeadLetters (the local SNS bridge does as Lambda does);
    ops/replay-ses-feedback hands it to the function again, once it can write."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    queue = stack.info["dead_letter_queues"]["SesFeedbackDeadLetters"]
    sqs = stack.moto("sqs")

    def waiting():
        return sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                   WaitTimeSeconds=0).get("Messages", [])

    def replay():
        env = {**os.environ, "AWS_REGION": stack.info["region"], "AWS_DEFAULT_REGION": stack.info["region"],
               "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
               "AWS_ENDPOINT_URL_SQS": stack.info["moto_url"], "AWS_ENDPOINT_URL_LAMBDA": stack.info["watch_url"]}
        script = Path(__file__).resolve().parent.parent / "ops" / "replay-ses-feedback"
        return subprocess.run([sys.executable, str(script), "--queue-url", queue, "--function-name", "ses-feedback"],
                              env=env, capture_output=True, text=True, timeout=600)

    for m in waiting():
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    sub, address, notice = new_person(stack)
    stack.fault("dynamodb", "down")
    try:
        publish(stack, ses_event(stack, notice))
    finally:
        stack.fault("dynamodb", "up")
    assert mark(stack, address) is None
    [dead] = waiting()
    event = json.loads(dead["Body"])
    assert event["Records"][0]["Sns"]["TopicArn"] == stack.info["sns_topics"][FEEDBACK_TOPIC]

    done = replay()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "summary: replayed 1, failed 0" in done.stdout, done.stdout
    assert mark(stack, address)["notice_id"] == notice["id"]
    assert me(stack, sub)["email_status"] == "undeliverable"
    assert waiting() == []
    again = replay()
    assert again.returncode == 0 and "summary: replayed 0" in again.stdout, again.stdout
