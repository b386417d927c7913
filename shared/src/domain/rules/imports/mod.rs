//! Batch imports of current members: each row of an officer's file is checked on its own, and
//! a good one is put in the agency's business register and issued a code exactly as
//! `POST /agency/shared-secrets` and `PUT /agency/business-register/{bn}` would (their rules,
//! `secrets::issue` and `business_register::edit`, make the plan). A bad row is recorded with
//! its line and reason and stops nothing else. A line that has an outcome already is only
//! reported again, so a step sent twice issues nothing twice.

use crate::clock::Fresh;
use crate::domain::agency_audit::{AgencyAction, AgencyAuditEvent};
use crate::domain::commands::{RegisterEdit, SecretOrder};
use crate::domain::import::{
    IdentifierClaim, Import, ImportStart, LineOutcome, LineRecord, ParsedRow, RowProblem,
};
use crate::domain::onboarding::{IdentifierSecret, Registration};
use crate::domain::plan::{Change, Plan};
use crate::domain::rules::business_register;
use crate::domain::rules::secrets::{self, DrawnSecret};
use crate::domain::{Changed, CredentialId, Program, Refusal};

mod file;
#[cfg(test)]
mod fixtures;

pub use file::{header_ok, row_of, rows_of};

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
    use super::fixtures::*;
    use super::*;

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
