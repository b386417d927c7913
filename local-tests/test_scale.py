"""Sizes that one DynamoDB transaction (at most 100 items) cannot hold, end to end: closing a
business of 150 members, and claiming a credential transfer for an account of 40 memberships.
The request does a bounded first chunk in its own transaction; membership-followups, from the
table's stream, does the rest in bounded steps (shared/src/usecases/followups.rs). Also the
small cases, which the request finishes alone."""

import concurrent.futures
import itertools
import re
import time
from pathlib import Path

from test_businesses import activate, authorize, issue, new_identifier, new_user
from test_members import audit_actions, put
from test_users import assert_problem, create, new_sub, user_item

SRC = Path(__file__).resolve().parent.parent / "shared" / "src"
# The first chunks are rules (what a request writes itself); the steps are the follow-up's.
SIZES = "".join((SRC / f).read_text() for f in ("domain/rules/business.rs", "domain/rules/credential_transfer.rs",
                                                 "usecases/followups.rs"))


def size(name):
    """A chunk size, as the Rust source defines it."""
    return int(re.search(rf"pub const {name}: usize = (\d+);", SIZES).group(1))


CLOSE_FIRST_CHUNK, END_STEP = size("CLOSE_FIRST_CHUNK"), size("END_STEP")
CLAIM_FIRST_CHUNK, MOVE_STEP = size("CLAIM_FIRST_CHUNK"), size("MOVE_STEP")
STAFF_ROLES = ["proxy", "user", "browser"]
WORKERS = 8  # below requests' connection pool (10)


def parallel(fn, items):
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(fn, items))


def query(stack, pk, prefix=None):
    """Every item of a partition (whose sort key starts with `prefix`)."""
    condition, values = "pk = :pk", {":pk": pk}
    if prefix:
        condition, values[":p"] = condition + " AND begins_with(sk, :p)", prefix
    items, kwargs = [], {"KeyConditionExpression": condition, "ExpressionAttributeValues": values,
                         "ConsistentRead": True}
    while True:
        page = stack.table.query(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def get_all(stack, keys):
    """The items at these keys ({pk, sk} each) that exist, by (pk, sk)."""
    found = {}
    for i in range(0, len(keys), 100):
        request = {stack.info["table_name"]: {"Keys": keys[i:i + 100], "ConsistentRead": True}}
        while request:
            answer = stack.table.meta.client.batch_get_item(RequestItems=request)
            for item in answer["Responses"].get(stack.info["table_name"], []):
                found[(item["pk"], item["sk"])] = item
            request = answer.get("UnprocessedKeys") or None
    return found


def my_businesses(stack, token):
    response = stack.call("GET", "/users/me/businesses", token=token)
    assert response.status_code == 200, response.text
    return {b["business_id"]: b for b in response.json()}


def followup_invocations(stack):
    return stack.stream("membership-followups")["invocations"]


def business_with_members(stack, members):
    """An authorized business whose owner added `members` new users (roles in turn): the owner's
    token and user, the business id and identifier, and [(token, user, role)] of the members."""
    program = "emanifest"
    identifier = new_identifier(program)
    issued, _ = issue(stack, program, identifier)
    owner, owner_user, _ = new_user(stack)
    activated = activate(stack, owner, program, identifier, issued.json()["shared_secret"])
    assert activated.status_code == 201, activated.text
    business_id = activated.json()["business_id"]
    authorize(stack, owner, business_id, program)

    def add(i):
        token, user, _ = new_user(stack)
        role = STAFF_ROLES[i % 3]
        response = put(stack, owner, business_id, user["urn"], role)
        assert response.status_code == 200, response.text
        return token, user, role

    return owner, owner_user, business_id, identifier, parallel(add, range(members))


# ---------------------------------------------------------------- members, a page at a time


def test_members_come_a_page_at_a_time_with_a_link_to_the_next(stack):
    """GET /businesses/{id}/members answers at most `limit` members (1000 by default) and a
    `Link` header to the next page, so a business of any size fits Lambda's 6 MB answer."""
    owner, owner_user, business_id, _, members = business_with_members(stack, 119)
    everyone = {owner_user["urn"], *(user["urn"] for _, user, _ in members)}
    whole = stack.call("GET", f"/businesses/{business_id}/members", token=owner)
    assert whole.status_code == 200 and "link" not in whole.headers
    assert {m["urn"] for m in whole.json()} == everyone

    seen, pages = [], 0
    path = f"/businesses/{business_id}/members?limit=50"
    while path:
        page = stack.call("GET", path, token=owner)
        assert page.status_code == 200, page.text
        assert len(page.json()) <= 50
        seen += [m["urn"] for m in page.json()]
        pages += 1
        link = page.headers.get("link")
        match = re.fullmatch(r'<(/businesses/[^>]+)>; rel="next"', link) if link else None
        assert link is None or match, link
        path = match.group(1) if match else None
    assert sorted(seen) == sorted(everyone) and len(seen) == len(set(seen)) and pages >= 3
    assert seen == sorted(seen)  # in URN order

    # A cursor is only ever this business's: on another business it starts after that URN
    # there, and shows nothing of the first; a made-up one, or a bad limit, is 422.
    first = stack.call("GET", f"/businesses/{business_id}/members?limit=50", token=owner)
    cursor = re.search(r"cursor=([0-9a-f]+)", first.headers["link"]).group(1)
    other_owner, other_user, other_id, _, _ = business_with_members(stack, 1)
    theirs = stack.call("GET", f"/businesses/{other_id}/members?cursor={cursor}", token=other_owner)
    assert theirs.status_code == 200 and not {m["urn"] for m in theirs.json()} & (everyone - {other_user["urn"]})
    for query in ("limit=0", "limit=1001", "cursor=zz", "cursor=" + "4d455441"):  # "META"
        assert_problem(stack.call("GET", f"/businesses/{business_id}/members?{query}", token=owner), 422)
    # A member below proxy, and a stranger, get nothing of it, cursor or not.
    browser = next(token for token, _, role in members if role == "browser")
    assert_problem(stack.call("GET", f"/businesses/{business_id}/members?cursor={cursor}", token=browser), 403)
    stranger, _, _ = new_user(stack)
    assert_problem(stack.call("GET", f"/businesses/{business_id}/members?cursor={cursor}", token=stranger), 404)


# ---------------------------------------------------------------- closing


def test_closing_a_business_of_150_members_ends_every_membership(stack):
    owner, owner_user, business_id, identifier, members = business_with_members(stack, 149)
    people = [owner, *[token for token, _, _ in members]]
    business_side = query(stack, f"BUS#{business_id}", "MEMBER#")
    assert len(business_side) == 150
    # Both sides of each membership, as the business side names the member's credential.
    user_sides = [{"pk": f"CRED#{m['idp']}#{m['sub']}", "sk": f"MEMBER#{business_id}"} for m in business_side]
    assert len(get_all(stack, user_sides)) == 150
    stack.settle()
    invocations = followup_invocations(stack)

    with stack.streams_paused():
        started = time.monotonic()
        closed = stack.call("DELETE", f"/businesses/{business_id}", token=owner)
        took = time.monotonic() - started
        assert closed.status_code == 204, closed.text
        # The request's own transaction ended the first chunk; the rest wait for the follow-up.
        left = query(stack, f"BUS#{business_id}", "MEMBER#")
        assert len(left) == 150 - CLOSE_FIRST_CHUNK
        assert len(get_all(stack, user_sides)) == 150 - CLOSE_FIRST_CHUNK
        meta = stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": "META"}, ConsistentRead=True)["Item"]
        assert meta["status"] == "closed"
        assert "business_id" not in stack.table.get_item(
            Key={"pk": f"IDENT#emanifest#{identifier}", "sk": "SECRET"}, ConsistentRead=True)["Item"]
        # Every member lost access at once, whether their membership is ended yet or not: the
        # listing leaves the closed business out, and every route refuses it.
        lists = parallel(lambda token: my_businesses(stack, token), people)
        assert not any(business_id in mine for mine in lists)
        still_there = {m["urn"] for m in left}
        waiting = next(token for token, user, _ in members if user["urn"] in still_there)
        for method, path in [("GET", f"/businesses/{business_id}"), ("GET", f"/businesses/{business_id}/members"),
                             ("GET", f"/businesses/{business_id}/audit"), ("DELETE", f"/businesses/{business_id}")]:
            assert_problem(stack.call(method, path, token=waiting), 404)
        assert_problem(stack.call("DELETE", f"/businesses/{business_id}", token=owner), 404)

    stack.settle()
    assert query(stack, f"BUS#{business_id}", "MEMBER#") == []
    assert get_all(stack, user_sides) == {}
    # 110 left: a step of END_STEP that asked for another, then the last 10.
    assert followup_invocations(stack) - invocations == -(-(150 - CLOSE_FIRST_CHUNK) // END_STEP) == 2
    meta = stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": "META"}, ConsistentRead=True)["Item"]
    assert meta["status"] == "closed" and int(meta["followup_steps"]) == 1
    lists = parallel(lambda token: my_businesses(stack, token), people)
    assert not any(business_id in mine for mine in lists)
    assert audit_actions(stack, business_id)[-1] == "business.closed"
    close_event = stack.table.query(KeyConditionExpression="pk = :pk", ScanIndexForward=False, Limit=1,
                                    ExpressionAttributeValues={":pk": f"AUDIT#{business_id}"})["Items"][0]
    assert close_event["actor_urn"] == owner_user["urn"] and close_event["after"]["status"] == "closed"
    # The identifier can be given a new secret, and the members' accounts are untouched.
    assert issue(stack, "emanifest", identifier)[0].status_code == 201
    assert stack.call("GET", "/users/me", token=members[0][0]).status_code == 200
    print(f"close of 150 members answered in {took:.2f}s")


def test_closing_a_small_business_needs_no_followup(stack):
    owner, _, business_id, identifier, members = business_with_members(stack, 4)
    stack.settle()
    business_side = query(stack, f"BUS#{business_id}", "MEMBER#")
    user_sides = [{"pk": f"CRED#{m['idp']}#{m['sub']}", "sk": f"MEMBER#{business_id}"} for m in business_side]
    assert len(business_side) == 5 and len(get_all(stack, user_sides)) == 5
    with stack.streams_paused():
        assert stack.call("DELETE", f"/businesses/{business_id}", token=owner).status_code == 204
        # Complete when it answers, before any follow-up ran.
        assert query(stack, f"BUS#{business_id}", "MEMBER#") == []
        assert get_all(stack, user_sides) == {}
        assert all(business_id not in my_businesses(stack, token) for token in [owner, *[t for t, _, _ in members]])
        invocations = followup_invocations(stack)
    stack.settle()
    # The follow-up still sees the closed business once, and finds nothing left to do.
    assert followup_invocations(stack) - invocations == 1
    meta = stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": "META"}, ConsistentRead=True)["Item"]
    assert meta["status"] == "closed" and "followup_steps" not in meta
    assert issue(stack, "emanifest", identifier)[0].status_code == 201


# ---------------------------------------------------------------- claiming


def account_with_memberships(stack, own, joined):
    """A user account (gckey) owning `own` businesses it activated and holding a staff role in
    `joined` businesses of other owners: its sub, token, user, and {business_id: role}."""
    sub = new_sub()
    response, _ = create(stack, sub)
    assert response.status_code == 201, response.text
    token, user = stack.token(sub), response.json()
    program = "emanifest"

    def issued(_):
        identifier = new_identifier(program)
        answer, _ = issue(stack, program, identifier)
        assert answer.status_code == 201, answer.text
        return identifier, answer.json()["shared_secret"]

    secrets = parallel(issued, range(own + joined))
    roles = {}

    def activate_all(owner_token, pairs):
        # One credential's activations go one after the other: each counts against its hourly
        # allowance in the attempt's own transaction, and concurrent ones conflict.
        ids = []
        for identifier, secret in pairs:
            answer = activate(stack, owner_token, program, identifier, secret)
            assert answer.status_code == 201, answer.text
            ids.append(answer.json()["business_id"])
        return ids

    # The account's own businesses, and the others' (ten per owner), activated side by side.
    others = [secrets[own + i:own + i + 10] for i in range(0, joined, 10)]
    owners = [new_user(stack)[0] for _ in others]
    batches = parallel(lambda job: activate_all(*job), [(token, secrets[:own]), *zip(owners, others)])
    for business_id in batches[0]:
        roles[business_id] = "owner"

    def join(job):
        (owner_token, business_id), role = job
        authorize(stack, owner_token, business_id, program)
        answer = put(stack, owner_token, business_id, user["urn"], role)
        assert answer.status_code == 200, answer.text
        return business_id, role

    jobs = [(owner_token, business_id) for owner_token, ids in zip(owners, batches[1:]) for business_id in ids]
    roles.update(parallel(join, zip(jobs, itertools.cycle(STAFF_ROLES))))
    return sub, token, user, roles


def claim(stack, old_token, new_token):
    code = stack.call("POST", "/users/me/credential-transfers", token=old_token)
    assert code.status_code == 201, code.text
    started = time.monotonic()
    claimed = stack.call("POST", "/credential-transfers/claim", token=new_token,
                         json={"transfer_code": code.json()["transfer_code"]})
    return claimed, time.monotonic() - started


def test_claiming_an_account_of_40_memberships_moves_them_all(stack):
    old_sub, old, user, roles = account_with_memberships(stack, own=10, joined=30)
    assert len(roles) == 40
    assert {b: v["role"] for b, v in my_businesses(stack, old).items()} == roles
    new_sub_ = new_sub()
    new = stack.token(new_sub_, idp="sign-in-partner")
    stack.settle()
    invocations = followup_invocations(stack)

    with stack.streams_paused():
        claimed, took = claim(stack, old, new)
        assert claimed.status_code == 200, claimed.text
        assert claimed.json()["urn"] == user["urn"]
        # The claim's transaction moved the user item and the first chunk; the new user item says
        # where the rest are still coming from.
        moved = user_item(stack, new_sub_, idp="sign-in-partner")
        assert moved["urn"] == user["urn"] and moved["moving_from"] == {"idp": "gckey", "sub": old_sub}
        assert len(query(stack, f"CRED#sign-in-partner#{new_sub_}", "MEMBER#")) == CLAIM_FIRST_CHUNK
        left = query(stack, f"CRED#gckey#{old_sub}")
        assert len(left) == 40 - CLAIM_FIRST_CHUNK and all(i["sk"].startswith("MEMBER#") for i in left)
        # The old credential has no account any more: none of the memberships left under it
        # gives it access; the new one sees what moved so far.
        assert_problem(stack.call("GET", "/users/me/businesses", token=old), 404)
        waiting = left[0]["business_id"]
        for path in [f"/businesses/{waiting}", f"/businesses/{waiting}/members"]:
            assert_problem(stack.call("GET", path, token=old), 404)
        assert len(my_businesses(stack, new)) == CLAIM_FIRST_CHUNK
        assert_problem(stack.call("GET", f"/businesses/{waiting}", token=new), 404)
        # Another move waits until this one is complete.
        again = stack.call("POST", "/users/me/credential-transfers", token=new)
        assert again.status_code == 201, again.text
        third = stack.call("POST", "/credential-transfers/claim", token=stack.token(new_sub()),
                           json={"transfer_code": again.json()["transfer_code"]})
        assert "still being moved" in assert_problem(third, 409)["detail"]

    stack.settle()
    # 15 left: one step moved them and ended the move (the new credential's transfer code, a
    # change of its user item in the same batch, asked for the same step).
    assert followup_invocations(stack) - invocations == -(-(40 - CLAIM_FIRST_CHUNK) // MOVE_STEP) == 1
    assert query(stack, f"CRED#gckey#{old_sub}") == []
    moved = user_item(stack, new_sub_, idp="sign-in-partner")
    assert "moving_from" not in moved and "followup_steps" not in moved and moved["urn"] == user["urn"]
    mine = my_businesses(stack, new)
    assert {b: v["role"] for b, v in mine.items()} == roles
    sides = get_all(stack, [{"pk": f"BUS#{b}", "sk": f"MEMBER#{user['urn']}"} for b in roles])
    assert len(sides) == 40
    assert all((s["idp"], s["sub"], s["role"]) == ("sign-in-partner", new_sub_, roles[s["pk"][4:]])
               for s in sides.values())
    urn_item = stack.table.get_item(Key={"pk": f"URN#{user['urn']}", "sk": "URN"}, ConsistentRead=True)["Item"]
    assert (urn_item["idp"], urn_item["sub"]) == ("sign-in-partner", new_sub_)
    assert stack.call("GET", "/users/me", token=new).json()["urn"] == user["urn"]
    # The new credential is a member of the businesses whose memberships the follow-up moved.
    view = stack.call("GET", f"/businesses/{waiting}", token=new)
    assert view.status_code == 200 and view.json()["role"] == roles[waiting]
    print(f"claim of 40 memberships answered in {took:.2f}s")


def test_claiming_a_small_account_needs_no_followup(stack):
    old_sub, old, user, roles = account_with_memberships(stack, own=2, joined=3)
    new_sub_ = new_sub()
    new = stack.token(new_sub_, idp="sign-in-partner")
    stack.settle()
    invocations = followup_invocations(stack)
    with stack.streams_paused():
        claimed, _ = claim(stack, old, new)
        assert claimed.status_code == 200, claimed.text
        # Complete when it answers.
        assert query(stack, f"CRED#gckey#{old_sub}") == []
        moved = user_item(stack, new_sub_, idp="sign-in-partner")
        assert moved["urn"] == user["urn"] and "moving_from" not in moved
        assert {b: v["role"] for b, v in my_businesses(stack, new).items()} == roles
        sides = get_all(stack, [{"pk": f"BUS#{b}", "sk": f"MEMBER#{user['urn']}"} for b in roles])
        assert {(s["idp"], s["sub"]) for s in sides.values()} == {("sign-in-partner", new_sub_)}
    stack.settle()
    assert followup_invocations(stack) == invocations


def test_a_claim_that_leaves_more_than_a_step_moves_the_rest_step_by_step(stack):
    """60 memberships: the claim moves 25, a step moves 30 and asks for the next by changing the
    new user item once more, and the last step moves 5 and ends the move."""
    old_sub, old, user, roles = account_with_memberships(stack, own=0, joined=60)
    new_sub_ = new_sub()
    new = stack.token(new_sub_, idp="sign-in-partner")
    stack.settle()
    invocations = followup_invocations(stack)
    claimed, _ = claim(stack, old, new)
    assert claimed.status_code == 200, claimed.text
    stack.settle()
    left = 60 - CLAIM_FIRST_CHUNK
    assert left > MOVE_STEP
    assert followup_invocations(stack) - invocations == -(-left // MOVE_STEP) == 2
    assert query(stack, f"CRED#gckey#{old_sub}") == []
    moved = user_item(stack, new_sub_, idp="sign-in-partner")
    assert "moving_from" not in moved and "followup_steps" not in moved
    assert {b: v["role"] for b, v in my_businesses(stack, new).items()} == roles
    sides = get_all(stack, [{"pk": f"BUS#{b}", "sk": f"MEMBER#{user['urn']}"} for b in roles])
    assert {(s["idp"], s["sub"]) for s in sides.values()} == {("sign-in-partner", new_sub_)} and len(sides) == 60
