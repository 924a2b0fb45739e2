"""Lints every IAM policy of synthesized CloudFormation templates with parliament (its Python API: the CLI refuses a
non-terminal stdin). Usage: iam_policies.py TEMPLATE.json...

Policies are read from AWS::IAM::Policy, AWS::IAM::ManagedPolicy and the inline policies of AWS::IAM::Role.
CloudFormation intrinsics are rendered into ARNs of the right shape first, since parliament checks ARN formats:
pseudo parameters become example values, a GetAtt Arn of a resource in the template an ARN of that resource's type,
anything else (a value from another stack) "*".

Exit status 1 when any policy has a finding of the kinds that mean a wrong policy (an action that does not exist,
a resource that an action it names exactly cannot take, a malformed statement), 0 otherwise. Every finding is
printed.
"""
import json
import sys

from parliament import analyze_policy_string

FAILING = {"UNKNOWN_ACTION", "UNKNOWN_PREFIX", "RESOURCE_MISMATCH", "MALFORMED", "UNKNOWN_OPERATOR",
           "MISMATCHED_TYPE", "UNKNOWN_CONDITION_FOR_ACTION", "INVALID_ARN"}
INTRINSICS = {"Ref", "Fn::Join", "Fn::GetAtt", "Fn::GetStackOutput", "Fn::ImportValue", "Fn::Sub", "Fn::Select",
              "Fn::If", "Fn::Split"}
PSEUDO = {"AWS::AccountId": "123456789012", "AWS::Region": "us-east-1", "AWS::Partition": "aws",
          "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "stack"}
ARN_OF_TYPE = {
    "AWS::S3::Bucket": "arn:aws:s3:::example-bucket",
    "AWS::Kinesis::Stream": "arn:aws:kinesis:us-east-1:123456789012:stream/example",
    "AWS::MSK::Cluster": "arn:aws:kafka:us-east-1:123456789012:cluster/example/0123-4567",
    "AWS::Logs::LogGroup": "arn:aws:logs:us-east-1:123456789012:log-group:example:*",
    "AWS::IAM::Role": "arn:aws:iam::123456789012:role/example",
    "AWS::Lambda::Function": "arn:aws:lambda:us-east-1:123456789012:function:example",
}


def render(value, resources):
    """A CloudFormation value as a plain string (or list of them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [render(item, resources) for item in value]
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in INTRINSICS:
        (function, args), = value.items()
        if function == "Fn::Join":
            return args[0].join(render(part, resources) for part in args[1])
        if function == "Ref":
            if args in PSEUDO:
                return PSEUDO[args]
            return "example-" + args.lower()
        if function == "Fn::GetAtt":
            resource_type = resources.get(args[0], {}).get("Type")
            if args[1] == "Arn" and resource_type in ARN_OF_TYPE:
                return ARN_OF_TYPE[resource_type]
            return "*"
        return "*"
    if isinstance(value, dict):
        return {key: render(item, resources) for key, item in value.items()}
    return value


def named_actions(document):
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        actions = statement.get("Action", [])
        yield from [actions] if isinstance(actions, str) else actions


def only_expanded(finding, document):
    """A resource mismatch of actions that no statement names, only a wildcard pattern expands to (CDK's grants such as
    s3:List* take in every List action, some of which take other resource types): a note, not an error. A mismatch of
    an action named exactly is an error."""
    if finding.issue != "RESOURCE_MISMATCH" or not isinstance(finding.detail, list):
        return False
    named = {action.lower() for action in named_actions(document)}
    return all(entry.get("action", "").lower() not in named for entry in finding.detail)


def policies(template):
    """(name, policy document) of every identity policy in a template."""
    resources = template.get("Resources", {})
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {})
        kind = resource.get("Type")
        if kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            yield logical_id, render(properties["PolicyDocument"], resources)
        elif kind == "AWS::IAM::Role":
            for inline in properties.get("Policies", []):
                yield logical_id + "/" + inline.get("PolicyName", "?"), render(inline["PolicyDocument"], resources)


def main(paths):
    failed = 0
    checked = 0
    for path in paths:
        with open(path, encoding="utf-8") as file:
            template = json.load(file)
        for name, document in policies(template):
            checked += 1
            analyzed = analyze_policy_string(json.dumps(document))
            for finding in analyzed.findings:
                bad = finding.issue in FAILING and not only_expanded(finding, document)
                failed += bad
                print(f"{'ERROR' if bad else 'note'} {path}: {name}: {finding.issue} {finding.detail}")
    print(f"parliament: {checked} policies checked, {failed} errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
