"""Owner recovery end to end: the agency issues a recovery secret for an identifier whose
business account is active; whoever activates with it becomes the owner of the same business,
the former owner a proxy, everything else stays, and every member is told (in their language).
Nobody takes an active business any other way."""

from test_businesses import (
    PROGRAM_TERMS,
    activate,
    activated_business,
    authorize,
    emailed_secret,
    ident_item,
    issue,
    new_user,
)
from test_members import audit_actions, owners, put
from test_users import assert_problem, mail_to


def agency_audit(stack, identifier):
    """The agency audit events concerning `identifier` (a test may scan; the routes never do)."""
    return [i for i in stack.scan() if i["pk"].startswith("AGENCYAUDIT#") and identifier in i.get("concerned", [])]


def business_partition(stack, business_id, prefix):
    return stack.table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
                             ExpressionAttributeValues={":pk": f"BUS#{business_id}", ":p": prefix})["Items"]


def roles(stack, business_id):
    return {m["urn"]: m["role"] for m in business_partition(stack, business_id, "MEMBER#")}


def active_business_with_members(stack):
    """An authorized eManifest business: its owner, a proxy, a user and a French-speaking
    browser, with a consent on record."""
    owner, owner_user, business_id, identifier = activated_business(stack)
    authorize(stack, owner, business_id, "emanifest")
    people = {"owner": (owner, owner_user)}
    for role, language in [("proxy", "en"), ("user", "en"), ("browser", "fr")]:
        token, user, _ = new_user(stack, language=language)
        assert put(stack, owner, business_id, user["urn"], role).status_code == 200
        people[role] = (token, user)
    consent = stack.call("PUT", f"/businesses/{business_id}/information-sharing", token=owner,
                         json={"consent": True, "signatory_name": "Alex Tremblay", "signatory_title": "Director"})
    assert consent.status_code == 200, consent.text
    return business_id, identifier, people


def issue_recovery(stack, identifier):
    issued, order = issue(stack, "emanifest", identifier)
    assert issued.status_code == 201, issued.text
    assert issued.json()["purpose"] == "recovery"
    secret, mail = emailed_secret(stack, order["email"])
    assert secret == issued.json()["shared_secret"] and "recovery" in mail["subject"]
    return secret


def test_a_recovery_secret_makes_its_holder_owner_of_the_same_business_and_every_member_is_told(stack):
    business_id, identifier, people = active_business_with_members(stack)
    owner_urn = people["owner"][1]["urn"]
    before_roles = roles(stack, business_id)
    consents = business_partition(stack, business_id, "CONSENT#")
    audit_before = audit_actions(stack, business_id)
    status_before = ident_item(stack, "emanifest", identifier)

    secret = issue_recovery(stack, identifier)
    # The issue is in the agency audit as a recovery; the business still holds the identifier.
    assert [e["action"] for e in agency_audit(stack, identifier)][-1:] == ["secret.issued_for_recovery"]
    assert ident_item(stack, "emanifest", identifier)["business_id"] == status_before["business_id"] == business_id

    heir, heir_user, _ = new_user(stack)
    taken = activate(stack, heir, "emanifest", identifier, secret)
    assert taken.status_code == 201, taken.text
    # The same business, its status kept.
    assert taken.json() == {"business_id": business_id, "status": "authorized"}
    assert owners(stack, business_id) == [heir_user["urn"]]
    after_roles = roles(stack, business_id)
    assert after_roles[owner_urn] == "proxy"
    for role in ("proxy", "user", "browser"):
        urn = people[role][1]["urn"]
        assert after_roles[urn] == before_roles[urn] == role
    assert len(after_roles) == len(before_roles) + 1
    # Each side of the memberships says so.
    mine = {b["business_id"]: b for b in stack.call("GET", "/users/me/businesses", token=heir).json()}
    assert mine[business_id]["role"] == "owner" and mine[business_id]["status"] == "authorized"
    former = {b["business_id"]: b["role"] for b in stack.call("GET", "/users/me/businesses", token=people["owner"][0]).json()}
    assert former[business_id] == "proxy"
    # The new owner runs the business; the former owner no longer can.
    terms = stack.call("POST", f"/businesses/{business_id}/terms", token=heir, json={"version": PROGRAM_TERMS["emanifest"]})
    assert terms.status_code == 200, terms.text
    assert_problem(stack.call("PUT", f"/businesses/{business_id}/information-sharing", token=people["owner"][0],
                              json={"consent": False, "signatory_name": "X", "signatory_title": "Y"}), 403)
    # The consent history and the audit trail stay; the recovery is at its end.
    assert business_partition(stack, business_id, "CONSENT#") == consents
    audit_after = audit_actions(stack, business_id)
    assert audit_after[:len(audit_before)] == audit_before
    assert "ownership.recovered" in audit_after[len(audit_before):]

    # Every member is told, in their language, with their role now; the follow-up is done.
    told = {
        heir_user["email"]: "New Account Owner",
        people["owner"][1]["email"]: "New Account Owner",
        people["proxy"][1]["email"]: "New Account Owner",
        people["user"][1]["email"]: "New Account Owner",
        people["browser"][1]["email"]: "Nouveau titulaire",
    }
    for address, subject in told.items():
        mails = [m for m in mail_to(stack, address) if subject in m["subject"]]
        assert len(mails) == 1, (address, [m["subject"] for m in mail_to(stack, address)])
        assert heir_user["name"] in mails[0]["body"]
    [to_former] = [m for m in mail_to(stack, people["owner"][1]["email"]) if "New Account Owner" in m["subject"]]
    assert "Your role: proxy" in to_former["body"]
    assert not [i for i in stack.scan() if i["pk"].startswith("TELL#")]

    # Used once.
    other, _, _ = new_user(stack)
    assert_problem(activate(stack, other, "emanifest", identifier, secret), 410)
    assert owners(stack, business_id) == [heir_user["urn"]]


def test_a_member_who_recovers_is_promoted_and_their_old_role_goes(stack):
    business_id, identifier, people = active_business_with_members(stack)
    secret = issue_recovery(stack, identifier)
    proxy, proxy_user = people["proxy"]
    taken = activate(stack, proxy, "emanifest", identifier, secret)
    assert taken.status_code == 201, taken.text
    after = roles(stack, business_id)
    assert after[proxy_user["urn"]] == "owner" and owners(stack, business_id) == [proxy_user["urn"]]
    assert after[people["owner"][1]["urn"]] == "proxy"
    assert len(after) == 4


def test_nobody_takes_an_active_business_without_a_recovery_secret(stack):
    """A stranger with a credential of their own: the used activation secret, a guess, or an
    earlier secret take nothing; a pending ownership transfer cannot undo a recovery."""
    owner, owner_user, business_id, identifier = activated_business(stack)
    authorize(stack, owner, business_id, "emanifest")
    heir, heir_user, _ = new_user(stack)
    assert put(stack, owner, business_id, heir_user["urn"], "user").status_code == 200
    started = stack.call("POST", f"/businesses/{business_id}/ownership-transfer", token=owner,
                         json={"to_urn": heir_user["urn"]})
    assert started.status_code == 201, started.text
    first, _ = issue(stack, "emanifest", identifier)  # a recovery secret: the business is active
    stranger, stranger_user, _ = new_user(stack)
    assert_problem(activate(stack, stranger, "emanifest", identifier, "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"), 403)
    assert owners(stack, business_id) == [owner_user["urn"]]
    # A newer secret replaces the first one: the first takes nothing any more.
    second = issue_recovery(stack, identifier)
    assert_problem(activate(stack, stranger, "emanifest", identifier, first.json()["shared_secret"]), 403)
    assert owners(stack, business_id) == [owner_user["urn"]]
    # The right one does, once.
    assert activate(stack, stranger, "emanifest", identifier, second).status_code == 201
    assert_problem(activate(stack, owner, "emanifest", identifier, second), 410)
    assert owners(stack, business_id) == [stranger_user["urn"]]
    # The transfer the former owner had asked for went with the recovery.
    assert_problem(stack.call("POST", f"/businesses/{business_id}/ownership-transfer/accept", token=heir), 404)
    assert owners(stack, business_id) == [stranger_user["urn"]]


def test_every_member_of_a_business_of_100_is_told_a_step_at_a_time(stack):
    """More members than one transaction holds notices: the recovery writes only the two people
    whose roles change, and membership-followups tells everyone in bounded steps, once each."""
    from test_scale import business_with_members, followup_invocations, size

    tell_step = size("TELL_STEP")
    owner, owner_user, business_id, identifier, members = business_with_members(stack, 99)
    secret = issue_recovery(stack, identifier)
    heir, heir_user, _ = new_user(stack)
    stack.settle()
    invocations = followup_invocations(stack)
    sent_before = len(stack.sent_mail())
    with stack.streams_paused():
        taken = activate(stack, heir, "emanifest", identifier, secret)
        assert taken.status_code == 201, taken.text
        [tell] = [i for i in stack.scan() if i["pk"].startswith("TELL#")]
        assert tell["business_id"] == business_id and tell["after"] == ""
    stack.settle()
    told = [m for m in stack.sent_mail()[sent_before:] if "New Account Owner" in m["subject"]]
    people = [owner_user["email"], heir_user["email"], *[user["email"] for _, user, _ in members]]
    recipients = sorted(address for m in told for address in m["destinations"]["ToAddresses"])
    assert recipients == sorted(people)  # all 101, once each
    assert not [i for i in stack.scan() if i["pk"].startswith("TELL#")]
    assert followup_invocations(stack) - invocations >= -(-len(people) // tell_step)
    assert owners(stack, business_id) == [heir_user["urn"]]
    assert roles(stack, business_id)[owner_user["urn"]] == "proxy"
