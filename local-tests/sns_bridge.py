"""The template's SNS events (a function subscribed to a topic), on the local stack.

In AWS, SNS invokes a subscribed function itself: the subscription's Lambda permission names the
topic as its only source, so nothing else can invoke it, and SNS hands the function the message
wrapped in a Lambda SNS event ({"Records": [{"EventSource": "aws:sns", "Sns": {...}}]}). There is
no Lambda in moto here, so the bridge stands where that subscription does: every topic a function
subscribes to is created in moto, with an HTTP subscription to this bridge (moto's SNS POSTs each
published message to it, as SNS does to an HTTP endpoint); the bridge wraps the message in the
Lambda SNS event and invokes the function through cargo lambda watch, before it answers moto (so a
test's Publish returns once the function has run). It listens on 127.0.0.1 only, and relays only
messages whose TopicArn is a topic it created: the function itself checks the topic again
(SES_FEEDBACK_TOPIC_ARN) and trusts nothing else.

The SES configuration set the template creates is created in moto too, with its event
destination. moto records the destination but never publishes SES events to it; the tests publish
an SES-shaped event (AWS's documented JSON) to the same topic, which is then the path the template
deploys: topic -> subscription -> function.
"""

import http.server
import json
import threading
import urllib.error
import urllib.request

from cfn_template import functions

CONFIGURATION_SET = "trade-portal-notices"  # the template's NoticeConfigurationSet, locally named
INVOKE_TIMEOUT = 300  # the first invocation may compile the function
ASYNC_ATTEMPTS = 3  # Lambda's asynchronous invocation: the first try and two retries


def sns_sources(template):
    """[(function logical id, event name, cargo binary, topic logical id)] of every SNS event."""
    out = []
    for logical_id, resource, binary in functions(template):
        for name, event in resource.get("Properties", {}).get("Events", {}).items():
            if event.get("Type") != "SNS":
                continue
            topic = event["Properties"]["Topic"]
            if not (isinstance(topic, dict) and "Ref" in topic):
                raise ValueError(f"{logical_id}.{name}: Topic must be !Ref <topic>, not {topic!r}")
            out.append((logical_id, name, binary, topic["Ref"]))
    return out


def dead_letter_queue_of(template, function):
    """The logical id of the SQS queue a function's `DeadLetterQueue` names (where Lambda puts
    an asynchronous event it gave up on), or None."""
    dlq = template["Resources"][function].get("Properties", {}).get("DeadLetterQueue")
    if not dlq:
        return None
    if dlq.get("Type") != "SQS":
        raise ValueError(f"{function}: only an SQS DeadLetterQueue is known locally, not {dlq!r}")
    target = dlq["TargetArn"].get("Fn::GetAtt") if isinstance(dlq["TargetArn"], dict) else None
    if not (isinstance(target, list) and target[1] == "Arn"):
        raise ValueError(f"{function}: DeadLetterQueue.TargetArn must be !GetAtt <queue>.Arn")
    return target[0]


def lambda_sns_event(message, subscription_arn):
    """What SNS hands a subscribed function for one message (SNS's HTTP body as moto posts it)."""
    return {"Records": [{
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": subscription_arn,
        "Sns": {
            "Type": message.get("Type", "Notification"),
            "MessageId": message.get("MessageId", ""),
            "TopicArn": message.get("TopicArn", ""),
            "Subject": message.get("Subject"),
            "Message": message.get("Message", ""),
            "Timestamp": message.get("Timestamp", ""),
            "SignatureVersion": message.get("SignatureVersion", "1"),
            "Signature": message.get("Signature", ""),
            "SigningCertUrl": message.get("SigningCertURL", ""),
            "UnsubscribeUrl": message.get("UnsubscribeURL", ""),
            "MessageAttributes": message.get("MessageAttributes", {}),
        },
    }]}


class SnsBridge:
    """Creates the template's SNS topics (and the SES configuration set) in moto and relays each
    topic's messages to its functions."""

    def __init__(self, template, sns, ses, sesv2, watch_url, log, sqs=None):
        self.watch_url = watch_url
        self.sqs = sqs
        self.dead_letter_queues = {}  # queue logical id -> URL in moto
        self.log = log
        self.lock = threading.Lock()
        self.invocations = []  # (binary, answer) of every relay, for GET-less inspection in logs
        self.topics = {}  # topic logical id -> ARN in moto
        self.routes = {}  # path -> (binary, topic ARN, subscription ARN)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        port = self.server.server_address[1]
        for function, event, binary, topic in sns_sources(template):
            if topic not in self.topics:
                self.topics[topic] = sns.create_topic(Name=topic)["TopicArn"]
            path = f"/sns/{function}/{event}"
            arn = sns.subscribe(TopicArn=self.topics[topic], Protocol="http",
                                Endpoint=f"http://127.0.0.1:{port}{path}")["SubscriptionArn"]
            dlq = dead_letter_queue_of(template, function) if sqs is not None else None
            if dlq and dlq not in self.dead_letter_queues:
                props = template["Resources"][dlq].get("Properties", {})
                attributes = {k: str(props[k]) for k in ("MessageRetentionPeriod",) if k in props}
                self.dead_letter_queues[dlq] = sqs.create_queue(QueueName=dlq, Attributes=attributes)["QueueUrl"]
            self.routes[path] = (binary, self.topics[topic], arn, self.dead_letter_queues.get(dlq))
        sesv2.create_configuration_set(ConfigurationSetName=CONFIGURATION_SET)
        feedback_topic = self.topics.get("SesFeedbackTopic")
        if feedback_topic:
            # As NoticeFeedbackDestination (moto's SES v2 has no event destination call; v1 shares it).
            ses.create_configuration_set_event_destination(
                ConfigurationSetName=CONFIGURATION_SET,
                EventDestination={"Name": "bounces-and-complaints", "Enabled": True,
                                  "MatchingEventTypes": ["bounce", "complaint"],
                                  "SNSDestination": {"TopicARN": feedback_topic}})
        self.thread = threading.Thread(target=self.server.serve_forever, name="sns-bridge", daemon=True)

    def start(self):
        self.thread.start()

    def is_alive(self):
        return self.thread.is_alive()

    def stop(self):
        if self.thread.is_alive():
            self.server.shutdown()
        self.server.server_close()

    def relay(self, path, body):
        route = self.routes.get(path)
        if route is None:
            return 404
        binary, topic_arn, subscription_arn, dead_letters = route
        message = json.loads(body)
        if message.get("TopicArn") != topic_arn:
            self.log.info("refused a message for %s not from its topic", binary)
            return 403
        if message.get("Type") != "Notification":
            return 200  # moto confirms subscriptions itself
        event = lambda_sns_event(message, subscription_arn)
        # SNS invokes the function asynchronously: Lambda tries it three times, then puts the
        # event in the function's DeadLetterQueue (ops/replay-ses-feedback takes it from there).
        failure = None
        for _ in range(ASYNC_ATTEMPTS):
            failure = self.invoke(binary, event)
            if failure is None:
                return 200
        self.log.error("%s %s failed %d times (%s)%s", binary, message.get("MessageId"), ASYNC_ATTEMPTS,
                       failure, "; put in its dead-letter queue" if dead_letters else "")
        if dead_letters:
            self.sqs.send_message(QueueUrl=dead_letters, MessageBody=json.dumps(event))
        return 200

    def invoke(self, binary, event):
        """None when the function handled the event, else why not."""
        request = urllib.request.Request(
            f"{self.watch_url}/2015-03-31/functions/{binary}/invocations",
            data=json.dumps(event).encode(), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=INVOKE_TIMEOUT) as response:
                answer = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return f"HTTP {e.code}"
        self.log.info("%s -> %s", binary, answer)
        try:
            parsed = json.loads(answer or "null")
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and "errorType" in parsed:
            return parsed["errorType"]
        return None

    def _handler(self):
        bridge = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                try:
                    status = bridge.relay(self.path, body)
                except Exception as e:  # a failed invocation: SNS would retry; here it is logged
                    bridge.log.error("relay %s failed: %s", self.path, e)
                    status = 502
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler
