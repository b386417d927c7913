"""Reads infra/template.yaml for the local stack: the API routes and the table definition.

The template is the only description of both; the local stack derives everything from it so
that the local API and table cannot drift from what is deployed.
"""

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


def http_api_routes(template):
    """Every HttpApi event of every AWS::Serverless::Function, most specific first."""
    routes = []
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        events = resource.get("Properties", {}).get("Events", {})
        for event in events.values():
            if event.get("Type") != "HttpApi":
                continue
            props = event["Properties"]
            # The cargo binary, where SAM's rust-cargolambda builder reads it too.
            binary = resource.get("Metadata", {}).get("BuildProperties", {}).get("Binary")
            if not binary:
                raise ValueError(f"{logical_id}: no Metadata.BuildProperties.Binary")
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
