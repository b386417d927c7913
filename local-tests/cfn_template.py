"""Reads infra/template.yaml for the local stack: the API routes, the table definition, and the
DynamoDB stream event sources (Lambda event source mappings) of the functions.

The template is the only description of both; the local stack derives everything from it so
that the local API and table cannot drift from what is deployed.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "infra" / "template.yaml"

# CreateTable parameters whose CloudFormation property has the same name and shape as the
# DynamoDB API's. Everything else in the resource (SSE, PITR, deletion protection, TTL) is
# either meaningless locally or applied separately (TTL).
TABLE_API_PROPERTIES = (
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "BillingMode",
    "ProvisionedThroughput",
)


class CfnLoader(yaml.SafeLoader):
    """A SafeLoader that accepts CloudFormation's short-form tags (!Ref, !Sub, !GetAtt, ...)."""


def _short_form(loader, suffix, node):
    # `!Ref X` -> {"Ref": "X"}; `!Sub ...` -> {"Fn::Sub": ...}; `!GetAtt A.B` -> {"Fn::GetAtt": ["A", "B"]}
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _short_form)


def load_template(path=TEMPLATE_PATH):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=CfnLoader)


def table_properties(template, logical_id="AccountsTable"):
    return template["Resources"][logical_id]["Properties"]


def create_table_request(template, table_name, logical_id="AccountsTable"):
    """CreateTable kwargs for boto3, taken from the table resource of the template."""
    props = table_properties(template, logical_id)
    request = {k: props[k] for k in TABLE_API_PROPERTIES if k in props}
    # CloudFormation gives only the view type; the API also wants the switch.
    stream = props.get("StreamSpecification")
    if stream:
        request["StreamSpecification"] = {"StreamEnabled": True,
                                          "StreamViewType": stream["StreamViewType"]}
    request["TableName"] = table_name
    return request


@dataclass(frozen=True)
class Route:
    method: str  # upper case, or "ANY"
    path: str  # as in the template, e.g. /businesses/{id}/members/{urn}
    binary: str  # cargo binary (= cargo lambda watch function name)
    public: bool  # Auth.Authorizer: NONE
    pattern: re.Pattern
    variables: int  # number of {params}: fewer means more specific

    @property
    def route_key(self):
        return f"{self.method} {self.path}"

    def match(self, path):
        """The path parameters when `path` matches this route's path, else None."""
        m = self.pattern.fullmatch(path)
        return None if m is None else m.groupdict()


def _path_pattern(path):
    # {name} matches one segment; {name+} (greedy) matches the rest of the path, as in API Gateway.
    regex = ""
    for literal, name, greedy in re.findall(r"([^{]*)(?:\{(\w+)(\+?)\})?", path):
        regex += re.escape(literal)
        if name:
            regex += f"(?P<{name}>.+)" if greedy else f"(?P<{name}>[^/]+)"
    return re.compile(regex)


def functions(template):
    """(logical id, resource, cargo binary) of every AWS::Serverless::Function, in template
    order. The binary is where SAM's rust-cargolambda builder reads it too."""
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        binary = resource.get("Metadata", {}).get("BuildProperties", {}).get("Binary")
        if not binary:
            raise ValueError(f"{logical_id}: no Metadata.BuildProperties.Binary")
        yield logical_id, resource, binary


def http_api_routes(template):
    """Every HttpApi event of every AWS::Serverless::Function, most specific first."""
    routes = []
    for _, resource, binary in functions(template):
        events = resource.get("Properties", {}).get("Events", {})
        for event in events.values():
            if event.get("Type") != "HttpApi":
                continue
            props = event["Properties"]
            path = props["Path"]
            routes.append(
                Route(
                    method=props.get("Method", "ANY").upper(),
                    path=path,
                    binary=binary,
                    public=props.get("Auth", {}).get("Authorizer") == "NONE",
                    pattern=_path_pattern(path),
                    variables=path.count("{"),
                )
            )
    # API Gateway prefers the most specific route: literal paths over parameterised ones,
    # greedy {proxy+} paths last, and a route's own method over ANY.
    routes.sort(key=lambda r: ("+}" in r.path, r.variables, r.method == "ANY"))
    return routes


# ---------------------------------------------------------------- DynamoDB stream event sources

# Lambda's defaults for a DynamoDB event source mapping, where the template leaves one out.
STREAM_DEFAULTS = {"BatchSize": 100, "MaximumRetryAttempts": -1, "BisectBatchOnFunctionError": False,
                   "MaximumBatchingWindowInSeconds": 0, "Enabled": True}


@dataclass(frozen=True)
class StreamSource:
    """One `Type: DynamoDB` event of a function: what Lambda's event source mapping does."""
    function: str  # the function's logical id
    event: str  # the event's name under Events
    binary: str  # cargo binary (= cargo lambda watch function name)
    table: str  # logical id of the table whose stream it reads
    starting_position: str  # TRIM_HORIZON or LATEST
    batch_size: int
    maximum_retry_attempts: int  # -1: until the record expires
    bisect_on_error: bool
    batching_window: float  # seconds (MaximumBatchingWindowInSeconds)
    enabled: bool
    patterns: tuple  # parsed filter patterns (dicts); a record passes when any one matches; none: all pass
    on_failure: str = None  # logical id of the SQS queue of DestinationConfig.OnFailure, or None

    def passes(self, record):
        return not self.patterns or any(pattern_matches(p, record) for p in self.patterns)


def _stream_table(stream):
    """The table logical id of `!GetAtt Table.StreamArn` (the only form the local stack knows)."""
    target = stream.get("Fn::GetAtt") if isinstance(stream, dict) else None
    if not target or len(target) != 2 or target[1] != "StreamArn":
        raise ValueError(f"Stream must be !GetAtt <table>.StreamArn, not {stream!r}")
    return target[0]


def dynamodb_stream_sources(template):
    """Every DynamoDB event of every AWS::Serverless::Function, in template order."""
    sources = []
    resources = template["Resources"]
    for logical_id, resource, binary in functions(template):
        for name, event in resource.get("Properties", {}).get("Events", {}).items():
            if event.get("Type") != "DynamoDB":
                continue
            props = {**STREAM_DEFAULTS, **event["Properties"]}
            table = _stream_table(props["Stream"])
            if "StreamSpecification" not in resources[table].get("Properties", {}):
                raise ValueError(f"{logical_id}.{name}: table {table} has no StreamSpecification")
            if props["StartingPosition"] not in ("TRIM_HORIZON", "LATEST"):
                raise ValueError(f"{logical_id}.{name}: StartingPosition {props['StartingPosition']!r}")
            patterns = []
            for f in (props.get("FilterCriteria") or {}).get("Filters") or []:
                pattern = json.loads(f["Pattern"])
                if not isinstance(pattern, dict):
                    raise ValueError(f"{logical_id}.{name}: a filter pattern must be a JSON object")
                patterns.append(pattern)
            on_failure = None
            destination = ((props.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
            if destination is not None:
                target = destination.get("Fn::GetAtt") if isinstance(destination, dict) else None
                if not target or target[1] != "Arn" or resources.get(target[0], {}).get("Type") != "AWS::SQS::Queue":
                    raise ValueError(f"{logical_id}.{name}: OnFailure must be !GetAtt <queue>.Arn, not {destination!r}")
                on_failure = target[0]
            sources.append(StreamSource(
                function=logical_id, event=name, binary=binary, table=table,
                starting_position=props["StartingPosition"], batch_size=int(props["BatchSize"]),
                maximum_retry_attempts=int(props["MaximumRetryAttempts"]),
                bisect_on_error=bool(props["BisectBatchOnFunctionError"]),
                batching_window=float(props["MaximumBatchingWindowInSeconds"]),
                enabled=bool(props["Enabled"]), patterns=tuple(patterns), on_failure=on_failure,
            ))
    return sources


def stream_source_of(template, function_name):
    """The stream event source of the function deployed as `function_name` (the last part of
    its ARN): the cargo binary locally, `<stack>-<LogicalId>-<suffix>` as SAM names it in AWS."""
    found = [s for s in dynamodb_stream_sources(template)
             if function_name == s.binary or f"-{s.function}-" in f"-{function_name}-"]
    if len(found) != 1:
        raise ValueError(f"{function_name}: {len(found)} stream event sources of the template match")
    return found[0]


def pattern_matches(pattern, event):
    """Lambda event filtering (the EventBridge pattern language) for one record, as JSON.

    A pattern is an object: each of its keys must be in the event. An object value matches the
    event's object under that key, recursively; a list value holds the allowed values of the
    leaf, any one of which matches: a literal (string, number, boolean, null: equality; against
    a list in the event, any element), or one of {"prefix": s}, {"suffix": s},
    {"anything-but": v | [v...]}, {"exists": true|false}, {"numeric": [op, n, ...]}.
    """
    if not isinstance(pattern, dict):
        raise ValueError(f"a pattern must be an object, not {pattern!r}")
    if not isinstance(event, dict):
        # Nothing under this key is an object, so none of the pattern's fields is there: only
        # {"exists": false} leaves can match.
        event = {}
    for key, allowed in pattern.items():
        if isinstance(allowed, dict):
            if not pattern_matches(allowed, event.get(key)):
                return False
        elif isinstance(allowed, list):
            if not any(_leaf_matches(rule, key in event, event.get(key)) for rule in allowed):
                return False
        else:
            raise ValueError(f"pattern value under {key!r} must be an object or a list, not {allowed!r}")
    return True


def _leaf_matches(rule, present, value):
    if isinstance(rule, dict):
        if set(rule) == {"exists"}:
            return present == bool(rule["exists"])
        if not present:
            return False
        values = value if isinstance(value, list) else [value]
        (op, arg), = rule.items()
        if op == "prefix":
            return any(isinstance(v, str) and v.startswith(arg) for v in values)
        if op == "suffix":
            return any(isinstance(v, str) and v.endswith(arg) for v in values)
        if op == "anything-but":
            banned = arg if isinstance(arg, list) else [arg]
            return all(not _equal(v, b) for v in values for b in banned)
        if op == "numeric":
            return any(_numeric(arg, v) for v in values)
        raise ValueError(f"filter rule {op!r} is not supported locally")
    if not present:
        return False
    values = value if isinstance(value, list) else [value]
    return any(_equal(v, rule) for v in values)


def _equal(value, literal):
    if isinstance(literal, bool) or isinstance(value, bool) or literal is None or value is None:
        return value is literal
    if isinstance(literal, (int, float)) and isinstance(value, (int, float)):
        return value == literal
    return type(value) is type(literal) and value == literal


NUMERIC_OPS = {"<": float.__lt__, "<=": float.__le__, "=": float.__eq__, ">": float.__gt__, ">=": float.__ge__}


def _numeric(conditions, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if len(conditions) % 2:
        raise ValueError(f"numeric needs operator/number pairs: {conditions!r}")
    return all(NUMERIC_OPS[conditions[i]](float(value), float(conditions[i + 1]))
               for i in range(0, len(conditions), 2))


# ---------------------------------------------------------------- IAM


def function_actions(template):
    """{cargo binary: the IAM actions its inline policy statements allow} for every function."""
    out = {}
    for logical_id, resource, binary in functions(template):
        actions = set()
        for policy in resource.get("Properties", {}).get("Policies", []):
            if not isinstance(policy, dict) or "Statement" not in policy:
                raise ValueError(f"{logical_id}: only inline statements are read here, not {policy!r}")
            for statement in policy["Statement"]:
                if statement.get("Effect") == "Allow":
                    action = statement.get("Action", [])
                    actions.update([action] if isinstance(action, str) else action)
        out[binary] = actions
    return out
