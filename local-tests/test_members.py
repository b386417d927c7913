"""Members, roles, ownership transfer, information-sharing consent and the audit trail, end to
end: the contract's permission table role by role, and what the table and the mail show."""

import concurrent.futures

import pytest

from test_businesses import PROGRAM_TERMS, activated_business, authorize, new_user
from test_users import assert_problem, create, mail_to, new_sub, table_snapshot

ROLES = ["proxy", "user", "browser"]


def audit_actions(stack, business_id):
    items = stack.table.query(KeyConditionExpression="pk = :pk",
                              ExpressionAttributeValues={":pk": f"AUDIT#{business_id}"})["Items"]
    return [i["action"] for i in sorted(items, key=lambda i: i["sk"])]


def owners(stack, business_id):
    items = stack.table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :m)",
                              ExpressionAttributeValues={":pk": f"BUS#{business_id}", ":m": "MEMBER#"})["Items"]
    return [i["urn"] for i in items if i["role"] == "owner"]


def authorized_business(stack):
    token, user, business_id, _ = activated_business(stack)
    authorize(stack, token, business_id, "emanifest")
    return token, user, business_id


def account_email(stack, urn):
    """The e-mail of the user account a URN belongs to (what the person would tell the owner)."""
    item = stack.table.get_item(Key={"pk": f"URN#{urn}", "sk": "URN"}, ConsistentRead=True).get("Item")
    return item["email"] if item else "nobody@example.com"


def put(stack, token, business_id, urn, role, version=None, email=None):
    """PUT a member with the e-mail of the URN's account (adding someone needs it), unless the
    test names another."""
    headers = {"If-Match": f'"{version}"'} if version is not None else None
    body = {"role": role, "email": email or account_email(stack, urn)}
    return stack.call("PUT", f"/businesses/{business_id}/members/{urn}", token=token, json=body, headers=headers)


def team(stack):
    """An authorized business with an owner and one member of each other role."""
    owner, owner_user, business_id = authorized_business(stack)
    people = {"owner": (owner, owner_user)}
    for role in ROLES:
        token, user, _ = new_user(stack)
        assert put(stack, owner, business_id, user["urn"], role).status_code == 200
        people[role] = (token, user)
    return business_id, people


# ---------------------------------------------------------------- granting roles


def test_owner_adds_a_member_who_sees_the_business_and_gets_a_notice(stack):
    owner, owner_user, business_id = authorized_business(stack)
    colleague, user, body = new_user(stack, language="fr")
    response = put(stack, owner, business_id, user["urn"], "user")
    assert response.status_code == 200, response.text
    assert response.json()["role"] == "user" and response.json()["urn"] == user["urn"]

    mine = stack.call("GET", "/users/me/businesses", token=colleague).json()
    assert [(b["business_id"], b["role"]) for b in mine] == [(business_id, "user")]
    assert mine[0]["permissions"] == ["declarations:view", "declarations:edit", "messages:view"]
    view = stack.call("GET", f"/businesses/{business_id}", token=colleague).json()
    assert view["role"] == "user" and "members:list" not in view["permissions"]

    [notice] = [m for m in mail_to(stack, body["email"]) if "ajouté" in m["subject"]]
    assert "utilisateur du compte" in notice["body"]
    members = stack.call("GET", f"/businesses/{business_id}/members", token=owner).json()
    assert sorted((m["urn"], m["role"]) for m in members) == sorted([(owner_user["urn"], "owner"), (user["urn"], "user")])
    assert all(m["name"] and m["since"] for m in members)

    changed = put(stack, owner, business_id, user["urn"], "browser")
    assert changed.status_code == 200 and changed.json()["role"] == "browser"
    assert stack.call("GET", "/users/me/businesses", token=colleague).json()[0]["role"] == "browser"
    assert [m for m in mail_to(stack, body["email"]) if "rôle" in m["subject"]]
    assert stack.call("DELETE", f"/businesses/{business_id}/members/{user['urn']}", token=owner).status_code == 204
    assert_problem(stack.call("GET", f"/businesses/{business_id}", token=colleague), 404)
    assert stack.call("GET", "/users/me/businesses", token=colleague).json() == []
    assert audit_actions(stack, business_id)[-3:] == ["member.role_granted", "member.role_changed", "member.role_removed"]



def test_the_audit_trail_names_people_as_they_were_when_it_was_written(stack):
    """Each event keeps the actor's name and the name of the person it is about: a member who
    left is still named, and a later change of name does not rewrite older events."""
    owner, owner_user, business_id = authorized_business(stack)
    created, _ = create(stack, new_sub(), name="Camille Roy")
    user = created.json()
    assert put(stack, owner, business_id, user["urn"], "user").status_code == 200
    assert put(stack, owner, business_id, user["urn"], "browser").status_code == 200
    assert stack.call("DELETE", f"/businesses/{business_id}/members/{user['urn']}", token=owner).status_code == 204
    members = stack.call("GET", f"/businesses/{business_id}/members", token=owner).json()
    assert user["urn"] not in [m["urn"] for m in members]  # they have left

    renamed = stack.call("PATCH", "/users/me", token=owner, json={"name": "Alexandra Renamed"})
    assert renamed.status_code == 200, renamed.text
    assert put(stack, owner, business_id, user["urn"], "user").status_code == 200

    events = stack.call("GET", f"/businesses/{business_id}/audit", token=owner).json()["events"]
    about_them = [e for e in events if e["action"].startswith("member.")]
    assert [e["action"] for e in about_them] == [
        "member.role_granted", "member.role_removed", "member.role_changed", "member.role_granted"]
    names = [e["actor_name"] for e in about_them]
    assert names == ["Alexandra Renamed", owner_user["name"], owner_user["name"], owner_user["name"]]
    for e in about_them:
        assert e["actor_urn"] == owner_user["urn"]
        assert (e["subject_urn"], e["subject_name"]) == (user["urn"], user["name"])
    # The activation names its owner, and is about no one else.
    [activated] = [e for e in events if e["action"] == "business.activated"]
    assert activated["actor_name"] == owner_user["name"] and "subject_urn" not in activated

    # Stored with the event when it was written, not looked up when read.
    items = stack.table.query(KeyConditionExpression="pk = :pk",
                              ExpressionAttributeValues={":pk": f"AUDIT#{business_id}"})["Items"]
    removed = [i for i in items if i["action"] == "member.role_removed"]
    assert [(i["actor_name"], i["subject_urn"], i["subject_name"]) for i in removed] == [
        (owner_user["name"], user["urn"], user["name"])]


def test_urns_are_checked_and_members_wait_for_authorization(stack):
    owner, _, business_id, _ = activated_business(stack)
    _, user, _ = new_user(stack)
    before = table_snapshot(stack)
    # Activated, not yet authorized: no members.
    assert_problem(put(stack, owner, business_id, user["urn"], "user"), 409)
    authorize(stack, owner, business_id, "emanifest")
    before = table_snapshot(stack)
    typo = user["urn"][:-1] + str((int(user["urn"][-1]) + 1) % 10)
    problem = assert_problem(put(stack, owner, business_id, typo, "user"), 422)
    assert problem["errors"][0]["field"] == "urn"
    assert_problem(put(stack, owner, business_id, "1000000005", "user"), 404)  # valid check digit, nobody
    problem = assert_problem(put(stack, owner, business_id, user["urn"], "owner"), 422)
    assert problem["errors"][0]["field"] == "role"
    assert_problem(put(stack, owner, business_id, user["urn"], "admin"), 422)
    assert table_snapshot(stack) == before


def test_adding_a_person_needs_their_urn_and_the_email_of_their_account(stack):
    """A mistyped URN adds a stranger no more, and a URN alone tells nobody whose it is: the
    wrong e-mail is answered exactly like an unknown URN, and nothing is written or sent."""
    owner, _, business_id = authorized_business(stack)
    _, user, _ = new_user(stack)
    _, stranger, _ = new_user(stack)
    before = table_snapshot(stack)
    unknown = assert_problem(put(stack, owner, business_id, "1000000005", "user", email=user["email"]), 404)
    for email in (stranger["email"], "someone@example.com", user["email"].replace("@", ".x@")):
        mismatch = assert_problem(put(stack, owner, business_id, user["urn"], "user", email=email), 404)
        assert mismatch == unknown, (email, mismatch)
    missing = stack.call("PUT", f"/businesses/{business_id}/members/{user['urn']}", token=owner, json={"role": "user"})
    assert [e["field"] for e in assert_problem(missing, 422)["errors"]] == ["email"]
    bad = assert_problem(put(stack, owner, business_id, user["urn"], "user", email="not-an-address"), 422)
    assert [e["field"] for e in bad["errors"]] == ["email"]
    assert table_snapshot(stack) == before
    assert len(mail_to(stack, user["email"])) == 1  # the URN confirmation: no notice of a role

    # The right e-mail, in any case, adds them; changing their role then needs none.
    added = put(stack, owner, business_id, user["urn"], "user", email=user["email"].upper())
    assert added.status_code == 200, added.text
    changed = stack.call("PUT", f"/businesses/{business_id}/members/{user['urn']}", token=owner,
                         json={"role": "browser"})
    assert changed.status_code == 200 and changed.json()["role"] == "browser", changed.text
    roles = {m["urn"]: m["role"] for m in stack.call("GET", f"/businesses/{business_id}/members", token=owner).json()}
    assert roles[user["urn"]] == "browser" and stranger["urn"] not in roles


# ---------------------------------------------------------------- the permission table


# action -> roles allowed (from ../shared/api.md)
MATRIX = {
    "view business": {"owner", "proxy", "user", "browser"},
    "list members": {"owner", "proxy"},
    "add proxy": {"owner"},
    "add user": {"owner", "proxy"},
    "add browser": {"owner", "proxy"},
    "update business": {"owner"},
    "consent": {"owner"},
    "transfer": {"owner"},
    "read audit": {"owner", "proxy"},
}


def attempt(stack, action, token, business_id):
    if action == "view business":
        return stack.call("GET", f"/businesses/{business_id}", token=token)
    if action == "list members":
        return stack.call("GET", f"/businesses/{business_id}/members", token=token)
    if action.startswith("add "):
        _, target, _ = new_user(stack)
        return put(stack, token, business_id, target["urn"], action.split()[1])
    if action == "update business":
        return stack.call("PATCH", f"/businesses/{business_id}", token=token, json={"mailing_address": "9 Elgin St\nOttawa"})
    if action == "consent":
        return stack.call("PUT", f"/businesses/{business_id}/information-sharing", token=token,
                          json={"consent": True, "signatory_name": "Sam Roy", "signatory_title": "President"})
    if action == "transfer":
        return None  # exercised in its own test, which needs a fresh business each time
    if action == "read audit":
        return stack.call("GET", f"/businesses/{business_id}/audit", token=token)
    raise ValueError(action)


def test_permission_matrix(stack):
    business_id, people = team(stack)
    for action, allowed in MATRIX.items():
        for role, (token, _) in people.items():
            before = audit_actions(stack, business_id)
            response = attempt(stack, action, token, business_id)
            if response is None:
                continue
            if role in allowed:
                assert response.status_code in (200, 201), (action, role, response.text)
            else:
                assert_problem(response, 403)
                assert audit_actions(stack, business_id) == before, (action, role)
    # Owner-only business actions, refused to everyone else.
    for role in ROLES:
        token = people[role][0]
        assert_problem(stack.call("POST", f"/businesses/{business_id}/terms", token=token,
                                  json={"version": PROGRAM_TERMS["emanifest"]}), 403)
        assert_problem(stack.call("DELETE", f"/businesses/{business_id}", token=token), 403)
        assert_problem(stack.call("POST", f"/businesses/{business_id}/ownership-transfer", token=token,
                                  json={"to_urn": people["user"][1]["urn"]}), 403)


def test_proxy_powers_and_limits(stack):
    business_id, people = team(stack)
    proxy = people["proxy"][0]
    # A proxy manages users and browsers, not proxies, not the owner, not themselves.
    assert put(stack, proxy, business_id, people["user"][1]["urn"], "browser").status_code == 200
    assert_problem(put(stack, proxy, business_id, people["user"][1]["urn"], "proxy"), 403)
    assert_problem(stack.call("DELETE", f"/businesses/{business_id}/members/{people['owner'][1]['urn']}", token=proxy), 403)
    assert_problem(put(stack, proxy, business_id, people["proxy"][1]["urn"], "user"), 403)
    _, other_proxy, _ = new_user(stack)
    assert put(stack, people["owner"][0], business_id, other_proxy["urn"], "proxy").status_code == 200
    assert_problem(stack.call("DELETE", f"/businesses/{business_id}/members/{other_proxy['urn']}", token=proxy), 403)
    # Nobody changes their own role; the owner is never removed.
    owner = people["owner"][0]
    assert_problem(put(stack, owner, business_id, people["owner"][1]["urn"], "proxy"), 403)
    assert_problem(stack.call("DELETE", f"/businesses/{business_id}/members/{people['owner'][1]['urn']}", token=owner), 403)
    assert owners(stack, business_id) == [people["owner"][1]["urn"]]


def test_non_members_get_404_on_every_member_route(stack):
    business_id, people = team(stack)
    stranger, _, _ = new_user(stack)
    before = table_snapshot(stack)
    urn = people["user"][1]["urn"]
    for method, path, body in [
        ("GET", f"/businesses/{business_id}/members", None),
        ("PUT", f"/businesses/{business_id}/members/{urn}", {"role": "browser"}),
        ("DELETE", f"/businesses/{business_id}/members/{urn}", None),
        ("POST", f"/businesses/{business_id}/ownership-transfer", {"to_urn": urn}),
        ("POST", f"/businesses/{business_id}/ownership-transfer/accept", None),
        ("DELETE", f"/businesses/{business_id}/ownership-transfer", None),
        ("PUT", f"/businesses/{business_id}/information-sharing",
         {"consent": True, "signatory_name": "X", "signatory_title": "Y"}),
        ("GET", f"/businesses/{business_id}/audit", None),
    ]:
        assert_problem(stack.call(method, path, token=stranger, json=body), 404)
    assert table_snapshot(stack) == before


# ---------------------------------------------------------------- ownership transfer


def test_ownership_transfer_two_steps(stack):
    business_id, people = team(stack)
    owner, owner_user = people["owner"]
    heir, heir_user = people["user"]
    started = stack.call("POST", f"/businesses/{business_id}/ownership-transfer", token=owner,
                         json={"to_urn": heir_user["urn"]})
    assert started.status_code == 201, started.text
    assert started.json()["status"] == "pending" and started.json()["to_urn"] == heir_user["urn"]
    assert [m for m in mail_to(stack, heir_user["email"]) if "new owner" in m["subject"]]
    assert [m for m in mail_to(stack, owner_user["email"]) if "transfer" in m["subject"].lower()]

    # Only the named user may accept.
    assert_problem(stack.call("POST", f"/businesses/{business_id}/ownership-transfer/accept", token=people["proxy"][0]), 403)
    assert owners(stack, business_id) == [owner_user["urn"]]

    accepted = stack.call("POST", f"/businesses/{business_id}/ownership-transfer/accept", token=heir)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["owner_urn"] == heir_user["urn"] and accepted.json()["role"] == "owner"
    assert owners(stack, business_id) == [heir_user["urn"]]
    roles = {b["business_id"]: b["role"] for b in stack.call("GET", "/users/me/businesses", token=owner).json()}
    assert roles[business_id] == "proxy"
    assert stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": "TRANSFER"}).get("Item") is None
    assert [m for m in mail_to(stack, heir_user["email"]) if "now the owner" in m["subject"]]
    assert audit_actions(stack, business_id)[-2:] == ["ownership.transfer_requested", "ownership.transfer_accepted"]
    # It was single-use.
    assert_problem(stack.call("POST", f"/businesses/{business_id}/ownership-transfer/accept", token=heir), 404)


def test_a_pending_transfer_is_on_the_dashboard_of_the_two_people_in_it_and_nobody_else(stack):
    business_id, people = team(stack)
    owner, owner_user = people["owner"]
    heir, heir_user = people["proxy"]
    other, _ = people["user"]
    path = f"/businesses/{business_id}/ownership-transfer"

    def waiting(token):
        mine = {b["business_id"]: b for b in stack.call("GET", "/users/me/businesses", token=token).json()}
        view = stack.call("GET", f"/businesses/{business_id}", token=token).json()
        return mine[business_id]["to_do"], view.get("ownership_transfer"), view["to_do"]

    # Authorized, no consent recorded yet: only the owner is asked for it.
    assert waiting(owner) == ([{"kind": "record_consent"}], None, [{"kind": "record_consent"}])
    assert waiting(heir) == ([], None, [])

    started = stack.call("POST", path, token=owner, json={"to_urn": heir_user["urn"]}).json()
    expires_at = started["expires_at"]
    to_do, transfer, on_page = waiting(owner)
    assert to_do == on_page == [
        {"kind": "record_consent"},
        {"kind": "ownership_transfer_waiting", "to_urn": heir_user["urn"], "to_name": heir_user["name"], "expires_at": expires_at},
    ]
    assert transfer["to_urn"] == heir_user["urn"] and transfer["to_name"] == heir_user["name"]
    assert transfer["from_urn"] == owner_user["urn"] and transfer["from_name"] == owner_user["name"]
    assert transfer["yours_to_accept"] is False
    to_do, transfer, on_page = waiting(heir)
    assert to_do == on_page == [{"kind": "accept_ownership", "from_urn": owner_user["urn"], "from_name": owner_user["name"],
                                 "expires_at": expires_at}]
    assert transfer["yours_to_accept"] is True and transfer["expires_at"] == expires_at
    # Another member of the business is not told whom the owner named.
    assert waiting(other) == ([], None, [])
    # A stranger with a free credential learns nothing of it either.
    stranger, _, _ = new_user(stack)
    assert_problem(stack.call("GET", f"/businesses/{business_id}", token=stranger), 404)
    assert stack.call("GET", "/users/me/businesses", token=stranger).json() == []

    assert stack.call("DELETE", path, token=owner).status_code == 204
    assert waiting(owner) == ([{"kind": "record_consent"}], None, [{"kind": "record_consent"}])
    assert waiting(heir) == ([], None, [])


def test_transfer_cancel_and_target_removed(stack):
    business_id, people = team(stack)
    owner = people["owner"][0]
    target, target_user = people["browser"]
    path = f"/businesses/{business_id}/ownership-transfer"
    assert stack.call("POST", path, token=owner, json={"to_urn": target_user["urn"]}).status_code == 201
    assert_problem(stack.call("POST", path, token=owner, json={"to_urn": people["user"][1]["urn"]}), 409)
    assert stack.call("DELETE", path, token=owner).status_code == 204
    assert_problem(stack.call("DELETE", path, token=owner), 404)
    assert_problem(stack.call("POST", path + "/accept", token=target), 404)

    assert stack.call("POST", path, token=owner, json={"to_urn": target_user["urn"]}).status_code == 201
    assert stack.call("DELETE", f"/businesses/{business_id}/members/{target_user['urn']}", token=owner).status_code == 204
    assert_problem(stack.call("POST", path + "/accept", token=target), 404)
    assert owners(stack, business_id) == [people["owner"][1]["urn"]]
    # Only a member can be named.
    _, outsider, _ = new_user(stack)
    assert_problem(stack.call("POST", path, token=owner, json={"to_urn": outsider["urn"]}), 404)


def test_expired_transfer_is_gone(stack):
    business_id, people = team(stack)
    path = f"/businesses/{business_id}/ownership-transfer"
    assert stack.call("POST", path, token=people["owner"][0], json={"to_urn": people["proxy"][1]["urn"]}).status_code == 201
    stack.table.update_item(Key={"pk": f"BUS#{business_id}", "sk": "TRANSFER"},
                            UpdateExpression="SET expires_at = :past", ExpressionAttributeValues={":past": 1})
    assert_problem(stack.call("POST", path + "/accept", token=people["proxy"][0]), 410)
    assert owners(stack, business_id) == [people["owner"][1]["urn"]]
    # An expired transfer may be replaced by a new one.
    assert stack.call("POST", path, token=people["owner"][0], json={"to_urn": people["user"][1]["urn"]}).status_code == 201


# ---------------------------------------------------------------- consent and the audit trail


def test_information_sharing_consent_history_is_kept(stack):
    owner, owner_user, business_id = authorized_business(stack)
    path = f"/businesses/{business_id}/information-sharing"
    given = stack.call("PUT", path, token=owner, json={"consent": True, "signatory_name": "Sam Roy", "signatory_title": "President"})
    assert given.status_code == 200, given.text
    assert given.json()["consent"] is True and given.json()["recorded_by"] == owner_user["urn"]
    withdrawn = stack.call("PUT", path, token=owner, json={"consent": False, "signatory_name": "Sam Roy", "signatory_title": "President"})
    assert withdrawn.json()["consent"] is False
    history = stack.table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :c)",
                                ExpressionAttributeValues={":pk": f"BUS#{business_id}", ":c": "CONSENT#"})["Items"]
    assert [h["consent"] for h in sorted(history, key=lambda h: h["sk"])] == [True, False]
    assert all(h["signatory_name"] == "Sam Roy" and h["recorded_at"] for h in history)
    assert stack.call("GET", f"/businesses/{business_id}", token=owner).json()["information_sharing"]["consent"] is False
    problem = assert_problem(stack.call("PUT", path, token=owner, json={"consent": "yes"}), 422)
    assert sorted(e["field"] for e in problem["errors"]) == ["consent", "signatory_name", "signatory_title"]


def test_audit_trail_pages_newest_first(stack):
    business_id, people = team(stack)
    owner = people["owner"][0]
    for role in ["browser", "user", "browser"]:
        assert put(stack, owner, business_id, people["user"][1]["urn"], role).status_code == 200
    everything = audit_actions(stack, business_id)
    seen, cursor = [], None
    while True:
        query = f"?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = stack.call("GET", f"/businesses/{business_id}/audit{query}", token=people["proxy"][0])
        assert page.status_code == 200, page.text
        events = page.json()["events"]
        assert len(events) <= 2
        seen.extend(events)
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert [e["action"] for e in seen] == list(reversed(everything))
    assert [e["at"] for e in seen] == sorted((e["at"] for e in seen), reverse=True)
    assert all(e["actor_urn"] and e["event_id"] for e in seen)
    assert_problem(stack.call("GET", f"/businesses/{business_id}/audit?limit=0", token=owner), 422)
    assert_problem(stack.call("GET", f"/businesses/{business_id}/audit?cursor=zz", token=owner), 422)


# ---------------------------------------------------------------- races


def test_concurrent_role_changes_on_one_member_lose_no_update(stack):
    business_id, people = team(stack)
    owner = people["owner"][0]
    urn = people["user"][1]["urn"]
    before = len(audit_actions(stack, business_id))
    wanted = ["browser" if i % 2 else "proxy" for i in range(20)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda role: put(stack, owner, business_id, urn, role), wanted))
    codes = [r.status_code for r in responses]
    assert set(codes) <= {200, 409}, codes
    winners = [r for r in responses if r.status_code == 200]
    changes = audit_actions(stack, business_id)[before:]
    # Every 200 that changed something wrote exactly one event; refused ones wrote none.
    assert len(changes) <= len(winners) and all(c == "member.role_changed" for c in changes)
    item = stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": f"MEMBER#{urn}"})["Item"]
    assert int(item["version"]) == 1 + len(changes)
    mine = {b["business_id"]: b["role"] for b in stack.call("GET", "/users/me/businesses", token=people["user"][0]).json()}
    assert mine[business_id] == item["role"]


def test_fifty_concurrent_changes_from_one_read_make_one_winner(stack):
    business_id, people = team(stack)
    owner = people["owner"][0]
    urn = people["browser"][1]["urn"]
    members = stack.call("GET", f"/businesses/{business_id}/members", token=owner).json()
    version = next(m["version"] for m in members if m["urn"] == urn)
    before = audit_actions(stack, business_id)
    wanted = ["user" if i % 2 else "proxy" for i in range(50)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(lambda role: put(stack, owner, business_id, urn, role, version), wanted))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 49, codes
    winner = next(r for r in responses if r.status_code == 200).json()
    assert winner["version"] == version + 1
    assert audit_actions(stack, business_id) == before + ["member.role_changed"]
    item = stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": f"MEMBER#{urn}"})["Item"]
    assert item["role"] == winner["role"] and int(item["version"]) == version + 1
    mine = {b["business_id"]: b["role"] for b in stack.call("GET", "/users/me/businesses", token=people["browser"][0]).json()}
    assert mine[business_id] == winner["role"]
    # A stale read is refused on removal too, and changes nothing.
    assert_problem(stack.call("DELETE", f"/businesses/{business_id}/members/{urn}", token=owner,
                              headers={"If-Match": f'"{version}"'}), 409)


def test_twenty_concurrent_transfer_accepts_make_one_owner(stack):
    business_id, people = team(stack)
    heir, heir_user = people["proxy"]
    path = f"/businesses/{business_id}/ownership-transfer"
    assert stack.call("POST", path, token=people["owner"][0], json={"to_urn": heir_user["urn"]}).status_code == 201
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: stack.call("POST", path + "/accept", token=heir), range(20)))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(200) == 1 and all(c in (404, 409, 410) for c in codes if c != 200), [(r.status_code, r.text[:200]) for r in responses]
    assert owners(stack, business_id) == [heir_user["urn"]]
    assert audit_actions(stack, business_id).count("ownership.transfer_accepted") == 1
