//! Batch imports of current members: each row of an officer's file is checked on its own, and
//! a good one is put in the agency's business register and issued a code exactly as
//! `POST /agency/shared-secrets` and `PUT /agency/business-register/{bn}` would (their rules,
//! `secrets::issue` and `business_register::edit`, make the plan). A bad row is recorded with
//! its line and reason and stops nothing else. A line that has an outcome already is only
//! reported again, so a step sent twice issues nothing twice.

use crate::clock::Fresh;
use crate::domain::agency_audit::{AgencyAction, AgencyAuditEvent};
use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::commands::{RegisterEdit, SecretOrder};
use crate::domain::identifier::{Bn9, BusinessIdentifier, IdentifierError};
use crate::domain::import::{
    IdentifierClaim, Import, ImportRow, ImportStart, ImportStep, LineOutcome, LineRecord,
    ParsedRow, RowProblem, COLUMNS,
};
use crate::domain::onboarding::{IdentifierSecret, Registration};
use crate::domain::plan::{Change, Plan};
use crate::domain::programs::Delivery;
use crate::domain::rules::business_register;
use crate::domain::rules::secrets::{self, DrawnSecret};
use crate::domain::{Changed, CredentialId, Email, Language, Program, Refusal};

/// Characters of a refused row's identifier cell kept in the report, to find the row by.
const TYPED_MAX: usize = 40;

/// Whether a file's first line names the columns: the six, then `language` or not (any case,
/// spaces around a name ignored).
pub fn header_ok(header: &str) -> bool {
    let names: Vec<String> = header
        .trim_end_matches(['\r', '\n'])
        .split(',')
        .map(|n| n.trim().trim_matches('"').trim().to_ascii_lowercase())
        .collect();
    (names.len() == 6 || names.len() == 7) && names.iter().zip(COLUMNS).all(|(n, c)| n == c)
}

/// A step's rows: each with its line in the file (a quoted cell may hold line breaks, so a
/// row's line is the one it starts on) and its cells parsed, or why not.
pub fn rows_of(step: &ImportStep) -> Vec<(u32, ParsedRow)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(step.csv.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        // The text is UTF-8 (a JSON string), so a record only fails on a line it cannot end;
        // the reader then has nothing more to give.
        let Ok(record) = record else { break };
        let line = step
            .first_line
            .saturating_add(line_breaks_before(&step.csv, &record));
        let cells: Vec<&str> = record.iter().collect();
        rows.push((line, row_of(&cells)));
    }
    rows
}

/// The line breaks before a record's first character: the reader's position may fall on the
/// blank lines and the line ending before the record, which are not the record's.
fn line_breaks_before(text: &str, record: &csv::StringRecord) -> u32 {
    let from = record
        .position()
        .map_or(0, |p| p.byte() as usize)
        .min(text.len());
    let skipped = text.as_bytes()[from..]
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    let breaks = text.as_bytes()[..from + skipped]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(breaks).unwrap_or(u32::MAX)
}

/// One row's cells, in the header's order, parsed; the first bad cell is the reason.
pub fn row_of(cells: &[&str]) -> ParsedRow {
    let typed: String = cells
        .get(1)
        .map(|c| c.trim().chars().take(TYPED_MAX).collect())
        .unwrap_or_default();
    let refuse = |problem| (typed.clone(), problem);
    if cells.len() != 6 && cells.len() != 7 {
        return Err(refuse(RowProblem::WrongColumnCount));
    }
    let program = Program::parse(cells[0].trim().to_ascii_lowercase().as_str())
        .ok_or_else(|| refuse(RowProblem::UnknownProgram))?;
    let identifier = BusinessIdentifier::parse(program, cells[1])
        .map_err(|_| refuse(RowProblem::IdentifierFormat))?;
    let business_number =
        Bn9::parse(cells[2]).map_err(|_| refuse(RowProblem::BusinessNumberFormat))?;
    if program.rules().identifier_kind == crate::domain::programs::IdentifierKind::BusinessNumber
        && Bn9::parse(identifier.as_str()).map_err(|_: IdentifierError| ())
            != Ok(business_number.clone())
    {
        return Err(refuse(RowProblem::BusinessNumberMismatch));
    }
    let legal_name =
        LegalName::parse(cells[3]).map_err(|_| refuse(RowProblem::LegalNameInvalid))?;
    let mailing_address = MailingAddress::parse(&cells[4].replace("\r\n", "\n"))
        .map_err(|_| refuse(RowProblem::MailingAddressInvalid))?;
    let email = match cells[5].trim() {
        "" if program.rules().secret_delivery == Delivery::Email => {
            return Err(refuse(RowProblem::EmailMissing))
        }
        "" => None,
        typed => Some(Email::parse(typed).map_err(|_| refuse(RowProblem::EmailInvalid))?),
    };
    let language = match cells.get(6).map(|c| c.trim().to_ascii_lowercase()) {
        None => Language::En,
        Some(l) if l.is_empty() => Language::En,
        Some(l) => Language::parse(&l).map_err(|_| refuse(RowProblem::LanguageInvalid))?,
    };
    Ok(ImportRow {
        program,
        identifier,
        business_number,
        legal_name,
        mailing_address,
        email,
        language,
    })
}

/// `POST /agency/imports`: the import of a file starts once; starting it again (`started`)
/// finds it and writes nothing. A start is in the agency audit, with the file's hash and name.
pub fn start(
    officer: &CredentialId,
    started: Option<Import>,
    order: ImportStart,
    fresh: &mut Fresh,
) -> (Plan, Import) {
    if let Some(import) = started {
        return (Plan::new(Changed::Import), import);
    }
    let import = Import {
        import_id: order.import_id,
        file_name: order.file_name,
        rows: order.rows,
        started_by_idp: officer.idp(),
        started_by: officer.sub().to_owned(),
        started_at: fresh.now.rfc3339.clone(),
    };
    let concerned = vec![import.import_id.to_string(), import.file_name.clone()];
    let event = AgencyAuditEvent::new(officer, AgencyAction::ImportStarted, concerned, fresh);
    let plan = Plan::new(Changed::Import)
        .and(Change::ImportStarted(import.clone()))
        .and(Change::AgencyAudit(event));
    (plan, import)
}

/// What a step read for one row: its line's outcome so far, the claim on its identifier
/// within the import, and the identifier's secret.
#[derive(Debug, Clone, Default)]
pub struct RowState {
    pub recorded: Option<LineRecord>,
    pub claim: Option<IdentifierClaim>,
    pub current: Option<IdentifierSecret>,
    /// (TTP) the Business Number's registration, if it has one.
    pub registered: Option<Registration>,
}

/// A row's decision: already done (only reported again), or what to write and report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowDecision {
    Done(LineRecord),
    Write { plan: Plan, record: LineRecord },
}

/// One row of a step. A line with an outcome is done. A bad row, or one whose identifier an
/// earlier line of the file took, is recorded refused. A good one is recorded issued, claims
/// its identifier, gets its code as `POST /agency/shared-secrets` gives it (`recovery` where a
/// business account holds the identifier; an unmailed letter it replaces is withdrawn unless
/// `letter_mailed`), and puts its register entry: all in one write.
#[allow(clippy::too_many_arguments)]
pub fn row(
    officer: &CredentialId,
    import: &Import,
    line: u32,
    parsed: ParsedRow,
    state: &RowState,
    drawn: DrawnSecret,
    letter_mailed: bool,
    fresh: &mut Fresh,
) -> Result<RowDecision, Refusal> {
    if let Some(done) = &state.recorded {
        return Ok(RowDecision::Done(done.clone()));
    }
    let record = |outcome, fresh: &Fresh| LineRecord {
        import_id: import.import_id.clone(),
        line,
        outcome,
        at: fresh.now.rfc3339.clone(),
    };
    let refused = |typed: String, problem, fresh: &Fresh| {
        let record = record(
            LineOutcome::Refused {
                identifier: typed,
                problem,
            },
            fresh,
        );
        let plan = Plan::new(Changed::Import).with(
            Change::ImportLineRecorded(record.clone()),
            Refusal::ImportLineDone,
        );
        RowDecision::Write { plan, record }
    };
    let row = match parsed {
        Ok(row) => row,
        Err((typed, problem)) => return Ok(refused(typed, problem, fresh)),
    };
    if let Some(claim) = state.claim.as_ref().filter(|c| c.line != line) {
        let problem = RowProblem::DuplicateIdentifier {
            first_line: claim.line,
        };
        return Ok(refused(row.identifier.as_str().to_owned(), problem, fresh));
    }
    // A TTP member is registered under its Client Number, as `POST /registrations` would have
    // done, so that registering the Business Number later changes nothing (api.md,
    // Registration); a Business Number registered under another Client Number is refused.
    let registration = match (row.program, &state.registered) {
        (Program::Ttp, None) => Some(Registration {
            business_number: row.business_number.as_str().to_owned(),
            client_number: row.identifier.clone(),
            registered_by: None,
            registered_at: fresh.now.rfc3339.clone(),
        }),
        (Program::Ttp, Some(r)) if r.client_number != row.identifier => {
            let problem = RowProblem::BusinessNumberRegistered;
            return Ok(refused(row.identifier.as_str().to_owned(), problem, fresh));
        }
        _ => None,
    };
    let order = SecretOrder {
        program: row.program,
        identifier: row.identifier.clone(),
        legal_name: row.legal_name.clone(),
        mailing_address: row.mailing_address.clone(),
        email: row.email.clone(),
        language: row.language,
    };
    let issued = secrets::issue(
        officer,
        state.current.as_ref(),
        order,
        drawn,
        letter_mailed,
        fresh,
    )?;
    let edit = RegisterEdit {
        business_number: row.business_number.clone(),
        legal_name: row.legal_name.clone(),
        mailing_address: row.mailing_address,
    };
    let (register, _) = business_register::edit(officer, edit, fresh);
    let record = record(
        LineOutcome::Issued {
            program: row.program,
            identifier: row.identifier.clone(),
            business_number: row.business_number,
            legal_name: row.legal_name,
            purpose: issued.purpose,
            delivery: issued.delivery,
            letter_id: issued.letter_id,
        },
        fresh,
    );
    let claim = IdentifierClaim {
        import_id: import.import_id.clone(),
        program: row.program,
        identifier: row.identifier,
        line,
    };
    // The line first: a step sent twice at once is told the line is done.
    let plan = Plan::new(Changed::Import)
        .with(
            Change::ImportLineRecorded(record.clone()),
            Refusal::ImportLineDone,
        )
        .and(Change::ImportIdentifierClaimed(claim))
        .then(issued.plan)
        .then(register);
    let plan = match registration {
        Some(r) => plan.with(Change::Registered(r), Refusal::AlreadyRegistered),
        None => plan,
    };
    Ok(RowDecision::Write { plan, record })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::ImportId;
    use crate::domain::onboarding::SecretPurpose;
    use crate::domain::Idp;

    const T0: i64 = 1_795_000_000;
    // Valid identifiers of each program, and the Business Numbers they go with.
    const BN: &str = "123456782";

    fn officer() -> CredentialId {
        CredentialId::new(Idp::SignInPartner, "officer-3").unwrap()
    }

    fn client_number() -> String {
        BusinessIdentifier::client_number_from_random(1_234_567)
            .as_str()
            .to_owned()
    }

    fn import() -> Import {
        let (_, import) = start(
            &officer(),
            None,
            ImportStart {
                import_id: ImportId::parse(&"c".repeat(64)).unwrap(),
                file_name: "members.csv".into(),
                rows: 3,
            },
            &mut Fresh::fixed(T0),
        );
        import
    }

    fn drawn() -> DrawnSecret {
        DrawnSecret {
            hash: "hash-1".into(),
            sealed: "sealed-1".into(),
        }
    }

    #[test]
    fn a_header_names_the_columns() {
        let cases = [
            (
                "program,identifier,business_number,legal_name,mailing_address,email",
                true,
            ),
            (
                "program,identifier,business_number,legal_name,mailing_address,email,language\r\n",
                true,
            ),
            (
                " Program , IDENTIFIER,business_number,legal_name,mailing_address,\"email\"",
                true,
            ),
            (
                "identifier,program,business_number,legal_name,mailing_address,email",
                false,
            ),
            (
                "program,identifier,business_number,legal_name,mailing_address",
                false,
            ),
            (
                "program,identifier,business_number,legal_name,mailing_address,email,language,x",
                false,
            ),
            ("", false),
        ];
        for (header, ok) in cases {
            assert_eq!(header_ok(header), ok, "{header}");
        }
    }

    #[test]
    fn each_row_is_checked_on_its_own() {
        let cn = client_number();
        fn ok<'a>(program: &'a str, id: &'a str, email: &'a str) -> Vec<&'a str> {
            vec![
                program,
                id,
                BN,
                "Boréal inc.",
                "9 rue A\nGatineau QC",
                email,
            ]
        }
        type Case<'a> = (Vec<&'a str>, Result<(Program, &'a str), RowProblem>);
        let cases: Vec<Case> = vec![
            (ok("ttp", &cn, ""), Ok((Program::Ttp, cn.as_str()))),
            (
                ok(" TTP ", &cn, "a@example.com"),
                Ok((Program::Ttp, cn.as_str())),
            ),
            (
                ok("emanifest", "8abc", "a@example.com"),
                Ok((Program::Emanifest, "8ABC")),
            ),
            (
                ok("cers", "123456782RM0001", "a@example.com"),
                Ok((Program::Cers, "123456782RM0001")),
            ),
            (ok("pip", &cn, ""), Err(RowProblem::UnknownProgram)),
            (
                ok("ttp", "P12345678", ""),
                Err(RowProblem::IdentifierFormat),
            ),
            (
                ok("emanifest", "8ABCD", "a@example.com"),
                Err(RowProblem::IdentifierFormat),
            ),
            (
                ok("cers", "123456789RM0001", "a@example.com"),
                Err(RowProblem::IdentifierFormat),
            ),
            (
                ok("cers", "046454286RM0001", "a@example.com"),
                Err(RowProblem::BusinessNumberMismatch),
            ),
            (ok("emanifest", "8ABC", ""), Err(RowProblem::EmailMissing)),
            (
                ok("emanifest", "8ABC", "not-an-address"),
                Err(RowProblem::EmailInvalid),
            ),
            (
                ok("ttp", &cn, "not-an-address"),
                Err(RowProblem::EmailInvalid),
            ),
            (
                vec!["ttp", &cn, "123456789", "N", "A", ""],
                Err(RowProblem::BusinessNumberFormat),
            ),
            (
                vec!["ttp", &cn, BN, "  ", "A", ""],
                Err(RowProblem::LegalNameInvalid),
            ),
            (
                vec!["ttp", &cn, BN, "A\nsecond,row", "A", ""],
                Err(RowProblem::LegalNameInvalid),
            ),
            (
                vec!["ttp", &cn, BN, "N", "", ""],
                Err(RowProblem::MailingAddressInvalid),
            ),
            (
                vec!["ttp", &cn, BN, "N", "A", "", "de"],
                Err(RowProblem::LanguageInvalid),
            ),
            (
                vec!["ttp", &cn, BN, "N", "A"],
                Err(RowProblem::WrongColumnCount),
            ),
            (vec!["ttp"], Err(RowProblem::WrongColumnCount)),
        ];
        for (cells, expected) in cases {
            let got = row_of(&cells);
            match (&got, &expected) {
                (Ok(row), Ok((program, id))) => {
                    assert_eq!(
                        (row.program, row.identifier.as_str()),
                        (*program, *id),
                        "{cells:?}"
                    );
                    assert_eq!(row.business_number.as_str(), BN);
                    assert_eq!(row.language, Language::En);
                }
                (Err((typed, problem)), Err(want)) => {
                    assert_eq!(problem, want, "{cells:?}");
                    assert_eq!(typed, cells.get(1).map_or("", |c| c.trim()), "{cells:?}");
                }
                _ => panic!("{cells:?}: {got:?}, expected {expected:?}"),
            }
        }
        let french = row_of(&["emanifest", "8abc", BN, "N", "A", "a@example.com", "FR"]).unwrap();
        assert_eq!(french.language, Language::Fr);
    }

    #[test]
    fn rows_keep_their_lines_and_quotes_keep_a_row_whole() {
        let cn = client_number();
        let csv = format!(
            "ttp,{cn},{BN},\"Boréal, inc.\",\"9 rue A\nGatineau QC\",\n\
             ttp,{cn},{BN},\"Evil\nttp,P00000000,{BN},x,y,\",A,\n\
             emanifest,8ABC,{BN},\"=cmd|' /C calc'!A0\",A,a@example.com\r\n\
             \n\
             cers"
        );
        let step = ImportStep {
            import_id: import().import_id,
            first_line: 10,
            csv,
        };
        let rows = rows_of(&step);
        let lines: Vec<u32> = rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [10, 12, 14, 16]);
        let first = rows[0].1.as_ref().unwrap();
        assert_eq!(first.legal_name.as_str(), "Boréal, inc.");
        assert_eq!(first.mailing_address.as_str(), "9 rue A\nGatineau QC");
        // The quoted line break is a cell's, not a second row.
        assert_eq!(
            rows[1].1.as_ref().unwrap_err().1,
            RowProblem::LegalNameInvalid
        );
        // A formula is a name like any other: kept as text.
        let formula = rows[2].1.as_ref().unwrap();
        assert_eq!(formula.legal_name.as_str(), "=cmd|' /C calc'!A0");
        assert_eq!(
            rows[3].1.as_ref().unwrap_err().1,
            RowProblem::WrongColumnCount
        );
    }

    #[test]
    fn a_row_is_issued_refused_or_only_reported_again() {
        let officer = officer();
        let import = import();
        let cn = BusinessIdentifier::parse(Program::Ttp, &client_number()).unwrap();
        let good = || row_of(&["ttp", cn.as_str(), BN, "Boréal inc.", "9 rue A", ""]);
        let claim = |line| IdentifierClaim {
            import_id: import.import_id.clone(),
            program: Program::Ttp,
            identifier: cn.clone(),
            line,
        };
        let done = LineRecord {
            import_id: import.import_id.clone(),
            line: 4,
            outcome: LineOutcome::Refused {
                identifier: "x".into(),
                problem: RowProblem::UnknownProgram,
            },
            at: "earlier".into(),
        };
        enum Want {
            Done,
            Refused(RowProblem),
            /// The changes written, and whether the Business Number is registered with them.
            Issued(usize, bool),
        }
        let registered = |client_number: &BusinessIdentifier| Registration {
            business_number: BN.into(),
            client_number: client_number.clone(),
            registered_by: None,
            registered_at: "earlier".into(),
        };
        let other_cn = BusinessIdentifier::client_number_from_random(7_654_321);
        let cases = [
            // (what was read, the row, what comes of it)
            (RowState::default(), good(), Want::Issued(8, true)),
            // Registered already under this Client Number (the same member, an earlier file):
            // nothing more to register; under another, refused (a BN registers once).
            (
                RowState {
                    registered: Some(registered(&cn)),
                    ..RowState::default()
                },
                good(),
                Want::Issued(7, false),
            ),
            (
                RowState {
                    registered: Some(registered(&other_cn)),
                    ..RowState::default()
                },
                good(),
                Want::Refused(RowProblem::BusinessNumberRegistered),
            ),
            (
                RowState {
                    recorded: Some(done.clone()),
                    ..RowState::default()
                },
                good(),
                Want::Done,
            ),
            (
                RowState {
                    claim: Some(claim(2)),
                    ..RowState::default()
                },
                good(),
                Want::Refused(RowProblem::DuplicateIdentifier { first_line: 2 }),
            ),
            (
                RowState::default(),
                row_of(&["ttp", "P1", BN, "N", "A", ""]),
                Want::Refused(RowProblem::IdentifierFormat),
            ),
        ];
        for (i, (state, parsed, want)) in cases.into_iter().enumerate() {
            let mut fresh = Fresh::fixed(T0);
            let got = row(
                &officer,
                &import,
                4,
                parsed,
                &state,
                drawn(),
                false,
                &mut fresh,
            )
            .unwrap();
            match (got, want) {
                (RowDecision::Done(record), Want::Done) => assert_eq!(record, done, "{i}"),
                (RowDecision::Write { plan, record }, Want::Refused(problem)) => {
                    assert!(
                        matches!(&record.outcome, LineOutcome::Refused { problem: p, .. } if *p == problem),
                        "{i}: {record:?}"
                    );
                    assert_eq!(record.line, 4);
                    let steps = plan.steps();
                    assert_eq!(steps.len(), 1, "{i}: nothing but the line is written");
                    assert_eq!(steps[0].change, Change::ImportLineRecorded(record));
                    assert_eq!(steps[0].if_refused, Refusal::ImportLineDone);
                }
                (RowDecision::Write { plan, record }, Want::Issued(changes, registers)) => {
                    let LineOutcome::Issued {
                        purpose,
                        delivery,
                        letter_id,
                        ..
                    } = &record.outcome
                    else {
                        panic!("{i}: {record:?}")
                    };
                    assert_eq!(
                        (*purpose, *delivery),
                        (SecretPurpose::Activation, Delivery::Letter)
                    );
                    let kinds: Vec<&str> = plan
                        .changes()
                        .map(|c| match c {
                            Change::ImportLineRecorded(_) => "line",
                            Change::ImportIdentifierClaimed(_) => "claim",
                            Change::SecretIssued { .. } => "secret",
                            Change::LetterQueued(l) => {
                                assert_eq!(Some(&l.letter_id), letter_id.as_ref());
                                "letter"
                            }
                            Change::RegisterEntryPut(e) => {
                                assert_eq!(e.business_number.as_str(), BN);
                                "register"
                            }
                            Change::Registered(r) => {
                                assert_eq!(
                                    (r.business_number.as_str(), &r.client_number),
                                    (BN, &cn)
                                );
                                assert_eq!(r.registered_by, None);
                                "registration"
                            }
                            Change::AgencyAudit(e) => match e.action {
                                AgencyAction::SecretIssued => "audit secret",
                                AgencyAction::RegisterEdited => "audit register",
                                other => panic!("{other:?}"),
                            },
                            other => panic!("{i}: {other:?}"),
                        })
                        .collect();
                    let mut expected = vec![
                        "line",
                        "claim",
                        "secret",
                        "letter",
                        "audit secret",
                        "register",
                        "audit register",
                    ];
                    if registers {
                        expected.push("registration");
                    }
                    assert_eq!(kinds, expected, "{i}");
                    assert_eq!(kinds.len(), changes);
                    assert_eq!(plan.steps()[0].if_refused, Refusal::ImportLineDone);
                    // The code itself is nowhere in what the report keeps.
                    let json = serde_json::to_string(&record).unwrap();
                    assert!(
                        !json.contains("sealed-1") && !json.contains("hash-1"),
                        "{json}"
                    );
                }
                (got, _) => panic!("{i}: {got:?}"),
            }
        }
    }

    #[test]
    fn an_import_starts_once() {
        let officer = officer();
        let order = ImportStart {
            import_id: ImportId::parse(&"d".repeat(64)).unwrap(),
            file_name: "members.csv".into(),
            rows: 2,
        };
        let (plan, first) = start(&officer, None, order.clone(), &mut Fresh::fixed(T0));
        let changes: Vec<_> = plan.changes().collect();
        assert_eq!(changes[0], &Change::ImportStarted(first.clone()));
        match changes[1] {
            Change::AgencyAudit(e) => {
                assert_eq!(e.action, AgencyAction::ImportStarted);
                assert_eq!(e.concerned, ["d".repeat(64), "members.csv".into()]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!((first.started_by.as_str(), first.rows), ("officer-3", 2));
        let (again, found) = start(
            &officer,
            Some(first.clone()),
            order,
            &mut Fresh::fixed(T0 + 9),
        );
        assert!(again.is_empty());
        assert_eq!(found, first);
    }
}
