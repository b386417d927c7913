//! Batch imports of current members (agency officers, with a second factor): start the import
//! of a file, send its rows a bounded step at a time, read its report.
//!
//! A step reads everything its rows decide on in one BatchGetItem (the import, and per row its
//! line, its identifier's claim and secret), then writes each row in its own transaction, so a
//! failure leaves the rows before it done and the row in progress untouched; sending the step
//! again only reports the done ones.

use std::collections::HashMap;

use serde::Serialize;

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::import::RowProblem;
use crate::domain::import::{
    IdentifierClaim, Import, ImportId, ImportReportQuery, ImportStart, ImportStep, LineOutcome,
    LineRecord, ParsedRow, REPORT_PAGE, STEP_ROWS,
};
use crate::domain::onboarding::{IdentifierSecret, Registration, SecretPurpose};
use crate::domain::programs::Delivery;
use crate::domain::rules::imports::{self, RowDecision, RowState};
use crate::domain::rules::secrets::DrawnSecret;
use crate::domain::rules::step_up;
use crate::domain::Caller;
use crate::domain::{LetterId, Program, Refusal};
use crate::error::{Error, Result};
use crate::store::reads::Want;

/// Whether the caller may import: an agency officer signed in with a second factor.
pub fn may_import(caller: &Caller) -> Result<()> {
    Ok(step_up::agency_only(
        caller.agency_officer,
        &caller.sign_in,
    )?)
}

/// An import as the officer sees it; `created` is whether this request started it.
#[derive(Debug, Serialize)]
pub struct ImportView {
    #[serde(flatten)]
    pub import: Import,
    pub created: bool,
}

/// The import of the file the order names: started now, or found as it was started.
pub async fn start_import(app: &App, caller: &Caller, order: ImportStart) -> Result<ImportView> {
    may_import(caller)?;
    let mut found = app.store.read(&[Want::Import(&order.import_id)]).await?;
    let started: Option<Import> = found.next()?;
    let (plan, import) = imports::start(&caller.credential, started, order, &mut Fresh::draw()?);
    let created = !plan.is_empty();
    app.store.apply(plan).await?;
    Ok(ImportView { import, created })
}

/// One line as a step or the report tells it; `skipped` where an earlier request of this
/// import did it (nothing was issued now). Never a code: the outcome holds none.
#[derive(Debug, Serialize)]
pub struct LineView {
    pub line: u32,
    /// `issued` or `refused`.
    pub outcome: &'static str,
    pub skipped: bool,
    pub at: String,
    /// The identifier as kept (issued), or its cell as typed (refused).
    pub identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<Program>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_number: Option<String>,
    /// As the file had it, shown as text (a cell like `=cmd|...` is only a name here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<SecretPurpose>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter_id: Option<LetterId>,
    /// Why a refused line was refused: `reason`, and `first_line` for a duplicate.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub problem: Option<RowProblem>,
}

impl LineView {
    fn of(record: LineRecord, skipped: bool) -> Self {
        let mut view = Self {
            line: record.line,
            outcome: "refused",
            skipped,
            at: record.at,
            identifier: String::new(),
            program: None,
            business_number: None,
            legal_name: None,
            purpose: None,
            delivery: None,
            letter_id: None,
            problem: None,
        };
        match record.outcome {
            LineOutcome::Issued {
                program,
                identifier,
                business_number,
                legal_name,
                purpose,
                delivery,
                letter_id,
            } => {
                view.outcome = "issued";
                view.identifier = identifier.as_str().to_owned();
                view.program = Some(program);
                view.business_number = Some(business_number.as_str().to_owned());
                view.legal_name = Some(legal_name.as_str().to_owned());
                view.purpose = Some(purpose);
                view.delivery = Some(delivery);
                view.letter_id = letter_id;
            }
            LineOutcome::Refused {
                identifier,
                problem,
            } => {
                view.identifier = identifier;
                view.problem = Some(problem);
            }
        }
        view
    }
}

#[derive(Debug, Serialize)]
pub struct StepView {
    pub import_id: ImportId,
    pub lines: Vec<LineView>,
}

type StepRow = (u32, ParsedRow);

/// One step of an import: at most `STEP_ROWS` rows, each issued, refused or (done before)
/// only reported.
pub async fn import_step(app: &App, caller: &Caller, step: ImportStep) -> Result<StepView> {
    may_import(caller)?;
    let rows = imports::rows_of(&step);
    if rows.len() > STEP_ROWS {
        return Err(Error::invalid("csv", "holds more rows than one step may"));
    }
    let (import, states) = read_step(app, &step.import_id, &rows).await?;
    let import = import.ok_or(Refusal::NoSuchImport)?;
    // Identifiers taken by earlier rows of this same step (the read could not see them).
    let mut taken: HashMap<(Program, BusinessIdentifier), u32> = HashMap::new();
    let mut lines = Vec::with_capacity(rows.len());
    for ((line, parsed), mut state) in rows.into_iter().zip(states) {
        if let Ok(row) = &parsed {
            if let Some(&first) = taken.get(&(row.program, row.identifier.clone())) {
                state.claim = Some(IdentifierClaim {
                    import_id: import.import_id.clone(),
                    program: row.program,
                    identifier: row.identifier.clone(),
                    line: first,
                });
            }
        }
        let claimed = parsed
            .as_ref()
            .ok()
            .map(|row| ((row.program, row.identifier.clone()), line));
        let view = import_row(app, caller, &import, line, parsed, &state).await?;
        if let (Some((key, line)), "issued") = (claimed, view.outcome) {
            taken.entry(key).or_insert(line);
        }
        lines.push(view);
    }
    Ok(StepView {
        import_id: import.import_id,
        lines,
    })
}

/// The import and, for each row, what it decides on: one BatchGetItem.
async fn read_step(
    app: &App,
    import_id: &ImportId,
    rows: &[StepRow],
) -> Result<(Option<Import>, Vec<RowState>)> {
    let mut wants = vec![Want::Import(import_id)];
    for (line, parsed) in rows {
        wants.push(Want::ImportLine(import_id, *line));
        if let Ok(row) = parsed {
            wants.push(Want::ImportClaim(import_id, row.program, &row.identifier));
            wants.push(Want::Secret(row.program, &row.identifier));
            if row.program == Program::Ttp {
                wants.push(Want::Registration(row.business_number.as_str()));
            }
        }
    }
    let mut found = app.store.read(&wants).await?;
    let import = found.next::<Import>()?;
    let mut states = Vec::with_capacity(rows.len());
    for (_, parsed) in rows {
        let recorded = found.next::<LineRecord>()?;
        let (claim, current, registered) = match parsed {
            Ok(row) => (
                found.next::<IdentifierClaim>()?,
                found.next::<IdentifierSecret>()?,
                match row.program {
                    Program::Ttp => found.next::<Registration>()?,
                    _ => None,
                },
            ),
            Err(_) => (None, None, None),
        };
        states.push(RowState {
            recorded,
            claim,
            current,
            registered,
        });
    }
    Ok((import, states))
}

/// One row: decided, and written in one transaction.
async fn import_row(
    app: &App,
    caller: &Caller,
    import: &Import,
    line: u32,
    parsed: ParsedRow,
    state: &RowState,
) -> Result<LineView> {
    if let Some(done) = &state.recorded {
        return Ok(LineView::of(done.clone(), true));
    }
    // A secret is drawn only for a row that may get one.
    let drawn = match &parsed {
        Ok(row) => super::secrets::draw_secret(app.pepper()?, row.program, &row.identifier)?.0,
        Err(_) => DrawnSecret {
            hash: String::new(),
            sealed: String::new(),
        },
    };
    let mut fresh = Fresh::draw()?;
    let decide = |letter_mailed: bool, fresh: &mut Fresh| {
        imports::row(
            &caller.credential,
            import,
            line,
            parsed.clone(),
            state,
            drawn.clone(),
            letter_mailed,
            fresh,
        )
    };
    let RowDecision::Write { plan, record } = decide(false, &mut fresh)? else {
        return Err(Error::Internal(
            "a row with no outcome was decided done".into(),
        ));
    };
    match app.store.apply(plan).await {
        Ok(()) => Ok(LineView::of(record, false)),
        // The letter with the code it replaces went out meanwhile: nothing to withdraw.
        Err(Error::Refused(Refusal::LetterAlreadyMailed)) => match decide(true, &mut fresh)? {
            RowDecision::Write { plan, record } => {
                app.store.apply(plan).await?;
                Ok(LineView::of(record, false))
            }
            RowDecision::Done(record) => Ok(LineView::of(record, true)),
        },
        // The same step, sent twice at once, did this line first: report what it did.
        Err(Error::Refused(Refusal::ImportLineDone)) => {
            let mut found = app
                .store
                .read(&[Want::ImportLine(&import.import_id, line)])
                .await?;
            let done = found.next::<LineRecord>()?.ok_or(Refusal::ImportLineDone)?;
            Ok(LineView::of(done, true))
        }
        Err(other) => Err(other),
    }
}

/// A page of an import's report: what the file is, and its lines after `after_line`.
#[derive(Debug, Serialize)]
pub struct ReportView {
    #[serde(flatten)]
    pub import: Import,
    pub lines: Vec<LineView>,
    /// Where the next page starts (`?after_line=`), while there may be more.
    pub next_after_line: Option<u32>,
}

pub async fn import_report(
    app: &App,
    caller: &Caller,
    query: ImportReportQuery,
) -> Result<ReportView> {
    may_import(caller)?;
    let id = &query.import_id;
    let wants = [Want::Import(id)];
    let (mut found, (records, more)) = tokio::try_join!(
        app.store.read(&wants),
        app.store.import_lines(id, query.after_line, REPORT_PAGE),
    )?;
    let import = found.next::<Import>()?.ok_or(Refusal::NoSuchImport)?;
    let next_after_line = more.then(|| records.last().map(|r| r.line)).flatten();
    Ok(ReportView {
        import,
        lines: records
            .into_iter()
            .map(|r| LineView::of(r, false))
            .collect(),
        next_after_line,
    })
}
