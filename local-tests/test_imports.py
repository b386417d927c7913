"""Batch import of current members end to end: an officer with a second factor starts the
import of a CSV file (named by its SHA-256) and sends its rows in bounded steps; each good row
is put in the agency's business register and issued a code by its program's channel (a
pending letter for TTP, an e-mail in the row's language for eManifest and CERS, `recovery`
where the identifier has a business account); each bad row is refused with its line and
reason and stops nothing else. The same file again, or a step again, issues nothing twice. The
report never holds a code. Nobody but an officer with a second factor reaches these routes."""

import csv
import hashlib
import io
import json
import random
import string
import uuid

from test_businesses import activate, activated_business, new_bn9, new_identifier, new_user
from test_registration import audit_events
from test_step_up import assert_challenge
from test_users import assert_problem, damm_digit, mail_to, table_snapshot

HEADER = "program,identifier,business_number,legal_name,mailing_address,email,language"
SECRET_RE_TEXT = r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){5}"


def officer_named(stack, **claims):
    sub = f"officer-{uuid.uuid4()}"
    return sub, stack.token(sub, roles=["agency-officer"], **claims)


def new_client_number():
    digits = "".join(random.choice(string.digits) for _ in range(7))
    return f"P{digits}{damm_digit(digits)}"


def csv_text(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def start(stack, token, text, name="members.csv", header=HEADER):
    rows = text.count("\n")  # the tests' rows hold no line breaks but where they say
    body = {"file_name": name, "sha256": hashlib.sha256(text.encode()).hexdigest(), "rows": max(rows, 1),
            "header": header}
    return stack.call("POST", "/agency/imports", token=token, json=body)


def step(stack, token, import_id, first_line, rows_text):
    return stack.call("POST", f"/agency/imports/{import_id}/rows", token=token,
                      json={"first_line": first_line, "csv": rows_text})


def report(stack, token, import_id):
    lines, after = [], 0
    while True:
        page = stack.call("GET", f"/agency/imports/{import_id}?after_line={after}", token=token)
        assert page.status_code == 200, page.text
        lines += page.json()["lines"]
        after = page.json()["next_after_line"]
        if after is None:
            return page.json(), lines


def register_entry(stack, bn9):
    return stack.table.get_item(Key={"pk": f"BNREGISTER#{bn9}", "sk": "ENTRY"}, ConsistentRead=True).get("Item")


def secret_item(stack, program, identifier):
    return stack.table.get_item(Key={"pk": f"IDENT#{program}#{identifier}", "sk": "SECRET"},
                                ConsistentRead=True).get("Item")


def import_items(stack, import_id):
    return stack.table.query(KeyConditionExpression="pk = :pk",
                             ExpressionAttributeValues={":pk": f"IMPORT#{import_id}"},
                             ConsistentRead=True)["Items"]


def test_an_import_issues_each_good_row_by_its_channel_and_reports_each_bad_one(stack):
    import re
    sub, officer = officer_named(stack)
    ttp, emanifest, cers = new_client_number(), new_identifier("emanifest"), new_identifier("cers")
    ttp_bn, emanifest_bn, cers_bn = new_bn9(), new_bn9(), cers[:9]
    en_mail, fr_mail = f"en.{uuid.uuid4().hex[:8]}@example.com", f"fr.{uuid.uuid4().hex[:8]}@example.com"
    rows = [
        ["ttp", ttp, ttp_bn, "Boréal, Transport inc.", "9 boul. du Registre\nGatineau QC", "", ""],
        ["emanifest", emanifest, emanifest_bn, "=cmd|' /C calc'!A0", "1 Main St, Ottawa ON", en_mail, ""],
        ["cers", cers, cers_bn, "Exportations Nord ltée", "2 rue Sud\nQuébec QC", fr_mail, "fr"],
        ["pip", ttp, ttp_bn, "Nobody", "Nowhere", "", ""],                          # unknown program
        ["emanifest", "TOOLONG", emanifest_bn, "N", "A", en_mail, ""],              # identifier format
        ["ttp", new_client_number(), "123456789", "N", "A", "", ""],                # bad BN (check digit)
        ["ttp", new_client_number(), ttp_bn, "", "A", "", ""],                      # empty name
        ["ttp", new_client_number(), ttp_bn, "N", "  ", "", ""],                    # empty address
        ["emanifest", new_identifier("emanifest"), emanifest_bn, "N", "A", "nope", ""],  # bad e-mail
        ["emanifest", emanifest, emanifest_bn, "Again", "A", en_mail, ""],          # duplicate identifier
        # A quoted cell that tries to smuggle a second row in: one row, refused (a name is one line).
        ["ttp", new_client_number(), ttp_bn, f"Evil\nttp,{new_client_number()},{ttp_bn},x,y,,", "A", "", ""],
    ]
    body = csv_text(rows)
    text = HEADER + "\n" + body
    started = start(stack, officer, text)
    assert started.status_code == 201, started.text
    import_id = started.json()["import_id"]
    assert import_id == hashlib.sha256(text.encode()).hexdigest() and started.json()["created"] is True
    # The rows as the portal sends them: the first two in one step, the rest in another (line 2 is
    # the first row; the first row's address spans two lines).
    records = body.split("\n")
    first, rest = "\n".join(records[:3]) + "\n", "\n".join(records[3:])
    one = step(stack, officer, import_id, 2, first)
    assert one.status_code == 200, one.text
    two = step(stack, officer, import_id, 5, rest)
    assert two.status_code == 200, two.text
    lines = {l["line"]: l for l in one.json()["lines"] + two.json()["lines"]}

    # Lines: each row starts where the previous one ended (addresses span two lines).
    issued = {l["identifier"]: l for l in lines.values() if l["outcome"] == "issued"}
    assert set(issued) == {ttp, emanifest, cers}
    assert issued[ttp]["delivery"] == "letter" and issued[ttp]["letter_id"] and issued[ttp]["purpose"] == "activation"
    assert issued[emanifest]["delivery"] == "email" and "letter_id" not in issued[emanifest]
    assert issued[cers]["delivery"] == "email"
    # The formula is data: kept and shown back as the text it is.
    assert issued[emanifest]["legal_name"] == "=cmd|' /C calc'!A0"
    refused = sorted((l["line"], l["reason"]) for l in lines.values() if l["outcome"] == "refused")
    assert [r for _, r in refused] == ["unknown_program", "identifier_format", "business_number_format",
                                       "legal_name_invalid", "mailing_address_invalid", "email_invalid",
                                       "duplicate_identifier", "legal_name_invalid"]
    [duplicate] = [l for l in lines.values() if l.get("reason") == "duplicate_identifier"]
    assert duplicate["first_line"] == issued[emanifest]["line"]
    assert not any(l["skipped"] for l in lines.values())
    # Exactly one line per row: the smuggled row is not a row.
    assert len(lines) == len(rows)

    # What was stored: the register, the secrets (hashed only), the letter (sealed).
    for bn9, name in [(ttp_bn, "Boréal, Transport inc."), (cers_bn, "Exportations Nord ltée")]:
        entry = register_entry(stack, bn9)
        assert entry and entry["legal_name"] == name and entry["updated_by"] == sub
    for program, identifier in [("ttp", ttp), ("emanifest", emanifest), ("cers", cers)]:
        item = secret_item(stack, program, identifier)
        assert item and item["secret_status"] == "issued", item
    letter = stack.table.get_item(Key={"pk": f"LETTER#{issued[ttp]['letter_id']}", "sk": "LETTER"},
                                  ConsistentRead=True)["Item"]
    assert letter["status"] == "pending" and letter["sealed_secret"]
    assert letter["mailing_address"] == "9 boul. du Registre\nGatineau QC"
    # What was sent: the eManifest contact's code in English, the CERS contact's in French.
    [en] = mail_to(stack, en_mail)
    [fr] = mail_to(stack, fr_mail)
    assert en["subject"].startswith("Your shared secret") and fr["subject"].startswith("Votre secret partagé")
    en_code = re.search(SECRET_RE_TEXT, en["body"]).group(0)
    fr_code = re.search(SECRET_RE_TEXT, fr["body"]).group(0)
    # No code anywhere in the import's items, the step answers or the report.
    page, reported = report(stack, officer, import_id)
    stored = json.dumps(import_items(stack, import_id), default=str)
    for code in (en_code, fr_code):
        for where in (stored, one.text, two.text, json.dumps(page)):
            assert code not in where and code.replace("-", "") not in where
    assert [l["line"] for l in reported] == sorted(lines)
    assert page["file_name"] == "members.csv" and page["started_by"] == sub

    # The code works: the CERS contact activates with it.
    owner, _, _ = new_user(stack)
    assert activate(stack, owner, "cers", cers, fr_code).status_code == 201

    # In the agency audit: the start, and each row's issue and register edit as if typed.
    actions = [(e["action"], e["concerned"]) for e in audit_events(stack, sub)]
    assert ("import.started", [import_id, "members.csv"]) in actions
    for identifier in (ttp, emanifest, cers):
        assert ("secret.issued", [identifier]) in actions
    assert ("register.edited", [ttp_bn]) in actions


def test_the_same_file_or_step_again_issues_nothing_twice(stack):
    _, officer = officer_named(stack)
    identifier = new_identifier("emanifest")
    mail = f"again.{uuid.uuid4().hex[:8]}@example.com"
    body = csv_text([["emanifest", identifier, new_bn9(), "Again Freight", "1 Main St", mail, ""]])
    text = HEADER + "\n" + body
    import_id = start(stack, officer, text).json()["import_id"]
    first = step(stack, officer, import_id, 2, body)
    assert first.status_code == 200 and first.json()["lines"][0]["outcome"] == "issued"
    secret_before = secret_item(stack, "emanifest", identifier)
    items_before = import_items(stack, import_id)

    # Another officer starts the same file: the same import, found (200), not a new one.
    _, other = officer_named(stack)
    again = start(stack, other, text)
    assert again.status_code == 200 and again.json()["import_id"] == import_id and again.json()["created"] is False
    for token in (officer, other):
        replay = step(stack, token, import_id, 2, body)
        assert replay.status_code == 200, replay.text
        [line] = replay.json()["lines"]
        assert line["skipped"] is True and line["outcome"] == "issued" and line["identifier"] == identifier
    assert secret_item(stack, "emanifest", identifier) == secret_before
    assert import_items(stack, import_id) == items_before
    assert len(mail_to(stack, mail)) == 1


def test_an_identifier_with_a_business_account_gets_a_recovery_code(stack):
    _, officer = officer_named(stack)
    _, _, business_id, identifier = activated_business(stack)
    body = csv_text([["emanifest", identifier, new_bn9(), "Recovered Freight", "1 Main St",
                      f"heir.{uuid.uuid4().hex[:8]}@example.com", ""]])
    import_id = start(stack, officer, HEADER + "\n" + body).json()["import_id"]
    [line] = step(stack, officer, import_id, 2, body).json()["lines"]
    assert line["outcome"] == "issued" and line["purpose"] == "recovery"
    assert secret_item(stack, "emanifest", identifier)["business_id"] == business_id


def test_bad_files_and_steps_are_refused_before_anything_is_written(stack):
    _, officer = officer_named(stack)
    text = HEADER + "\n" + csv_text([["emanifest", new_identifier("emanifest"), new_bn9(), "N", "A", "a@example.com"]])
    assert_problem(start(stack, officer, text, header="identifier,program,business_number"), 422)
    bad = stack.call("POST", "/agency/imports", token=officer,
                     json={"file_name": "x.csv", "sha256": "not-a-hash", "rows": 0, "header": HEADER})
    errors = {e["field"] for e in assert_problem(bad, 422)["errors"]}
    assert errors == {"sha256", "rows"}
    import_id = start(stack, officer, text).json()["import_id"]
    many = csv_text([["emanifest", new_identifier("emanifest"), new_bn9(), "N", "A", "a@example.com"]] * 26)
    before = import_items(stack, import_id)
    assert_problem(step(stack, officer, import_id, 2, many), 422)
    assert_problem(step(stack, officer, import_id, 1, "x"), 422)
    assert import_items(stack, import_id) == before


def test_strangers_reach_no_import(stack):
    """A person with a credential of their own, an officer without a second factor, and an
    officer naming an import that does not exist: nothing is read or written for them."""
    _, officer = officer_named(stack)
    body = csv_text([["emanifest", new_identifier("emanifest"), new_bn9(), "N", "A", "a@example.com"]])
    text = HEADER + "\n" + body
    import_id = start(stack, officer, text).json()["import_id"]
    person, _, _ = new_user(stack)
    _, no_mfa = officer_named(stack, amr=["pwd"])
    snapshot = table_snapshot(stack)
    for token, check in [(person, lambda r: assert_problem(r, 403)),
                         (no_mfa, lambda r: assert_challenge(r, 'acr_values="mfa"'))]:
        check(start(stack, token, HEADER + "\n" + csv_text([["ttp"]])))
        check(step(stack, token, import_id, 2, body))
        check(stack.call("GET", f"/agency/imports/{import_id}", token=token))
    assert table_snapshot(stack) == snapshot
    nobody = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    assert_problem(stack.call("GET", f"/agency/imports/{nobody}", token=officer), 404)
    assert_problem(step(stack, officer, nobody, 2, body), 404)
    assert table_snapshot(stack) == snapshot


def test_an_imported_ttp_member_is_registered_so_its_business_number_registers_once(stack):
    from test_registration import register
    _, officer = officer_named(stack)
    client_number, bn = new_client_number(), new_bn9()
    text = csv_text([["ttp", client_number, bn, "Boréal inc.", "9 boul. du Registre\nGatineau QC", "", ""]])
    import_id = start(stack, officer, text).json()["import_id"]
    [line] = step(stack, officer, import_id, 2, text).json()["lines"]
    assert line["outcome"] == "issued", line
    registration = stack.table.get_item(Key={"pk": f"REG#{bn}", "sk": "REG"}, ConsistentRead=True).get("Item")
    assert registration and registration["client_number"]["value"] == client_number and "registered_by" not in registration

    # Someone registering that Business Number afterwards gets the usual 202, and nothing:
    # no second Client Number, no letter.
    token, _, _ = new_user(stack)
    letters = lambda: [i for i in stack.scan() if i["pk"].startswith("LETTER#")  # noqa: E731
                       and (i.get("registration") or {}).get("business_number") == bn]
    before = letters()
    assert register(stack, token, bn).status_code == 202
    assert letters() == before
    assert stack.table.get_item(Key={"pk": f"REG#{bn}", "sk": "REG"}, ConsistentRead=True)["Item"] == registration

    # Another file giving the same Business Number another Client Number is refused on that line.
    other = csv_text([["ttp", new_client_number(), bn, "Boréal inc.", "9 boul. du Registre", "", ""]])
    other_id = start(stack, officer, other, name="again.csv").json()["import_id"]
    [refused] = step(stack, officer, other_id, 2, other).json()["lines"]
    assert (refused["outcome"], refused["reason"]) == ("refused", "business_number_registered"), refused
