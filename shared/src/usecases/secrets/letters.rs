//! The letter queue: `GET /agency/letters?status=&cursor=` (or `?program=&identifier=`,
//! `?business_number=`: one business's letters), and an officer's decisions on a
//! letter: approve or reject one in review, mark one mailed. Every decision, and every read
//! of pending codes, is in the agency audit.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::commands::{LetterApproval, LetterRejection, LettersQuery};
use crate::domain::identifier::Bn9;
use crate::domain::onboarding::{Letter, LetterStatus};
use crate::domain::rules::{letters, step_up};
use crate::domain::Caller;
use crate::domain::{Language, LetterId, Program, Urn};
use crate::error::{Error, Result};
use crate::store::letters::LetterCursor;
use crate::store::reads::Want;

#[derive(Debug, Serialize)]
pub struct LetterView {
    pub letter_id: LetterId,
    pub status: LetterStatus,
    pub program: Program,
    /// The Client Number.
    pub business_identifier: String,
    pub business_number: Option<Bn9>,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    /// The registrant's URN, for a registration's letter.
    pub registered_by: Option<Urn>,
    pub language: Language,
    /// The code, while the letter waits to be mailed.
    pub shared_secret: Option<String>,
    pub expires_at: String,
    pub created_at: String,
}

#[derive(Debug, Serialize)]
pub struct LettersPage {
    pub letters: Vec<LetterView>,
    pub next_cursor: Option<String>,
}

/// A page of the letters in one status, oldest first, or the letters of one business, newest
/// first; pending letters with their codes (opened with the pepper), once the agency audit
/// holds that this officer read them.
pub async fn letters_page(app: &App, caller: &Caller, query: LettersQuery) -> Result<LettersPage> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let (page, next) = match query {
        LettersQuery::Queue { status, cursor } => {
            let cursor =
                match cursor.as_deref() {
                    None => None,
                    Some(raw) => Some(LetterCursor::parse(raw, status).ok_or_else(|| {
                        Error::invalid("cursor", "is not a cursor from this list")
                    })?),
                };
            app.store.letters_page(status, cursor.as_ref()).await?
        }
        LettersQuery::Of { business, status } => {
            let found = app.store.letters_of(&business).await?;
            (letters::of_status(found, status), None)
        }
    };
    let read = letters::codes_read(&caller.credential, &page, &mut Fresh::draw()?);
    let pepper = app.pepper()?;
    // Recorded first: no code is shown that the audit does not hold.
    app.store.apply(read).await?;
    let mut views = Vec::with_capacity(page.len());
    for letter in page {
        let shared_secret = match (&letter.status, &letter.sealed_secret) {
            (LetterStatus::Pending, Some(sealed)) => Some(pepper.open(sealed)?),
            _ => None,
        };
        views.push(view(letter, shared_secret));
    }
    Ok(LettersPage {
        letters: views,
        next_cursor: next.map(|c| c.to_string()),
    })
}

fn view(letter: Letter, shared_secret: Option<String>) -> LetterView {
    let (business_number, registered_by) = match letter.registration {
        Some(r) => (Some(r.business_number), Some(r.registered_by)),
        None => (None, None),
    };
    LetterView {
        letter_id: letter.letter_id,
        status: letter.status,
        program: letter.program,
        business_identifier: letter.business_identifier.as_str().to_owned(),
        business_number,
        legal_name: letter.legal_name,
        mailing_address: letter.mailing_address,
        registered_by,
        language: letter.language,
        shared_secret,
        expires_at: clock::at(letter.expires_at).rfc3339,
        created_at: letter.created_at,
    }
}

/// The letter is in the mail; its code leaves the table.
pub async fn mark_letter_mailed(app: &App, caller: &Caller, letter_id: &LetterId) -> Result<()> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let letter = read_letter(app, letter_id).await?;
    let plan = letters::mark_mailed(&caller.credential, letter.as_ref(), &mut Fresh::draw()?)?;
    app.store.apply(plan).await
}

/// A letter in review waits to be mailed.
pub async fn approve_letter(app: &App, caller: &Caller, approval: LetterApproval) -> Result<()> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let letter = read_letter(app, &approval.letter_id).await?;
    let plan = letters::approve(
        &caller.credential,
        letter.as_ref(),
        approval.mailing_address,
        &mut Fresh::draw()?,
    )?;
    app.store.apply(plan).await
}

/// A letter in review is withdrawn: its code never works.
pub async fn reject_letter(app: &App, caller: &Caller, rejection: LetterRejection) -> Result<()> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let letter = read_letter(app, &rejection.letter_id).await?;
    let plan = letters::reject(
        &caller.credential,
        letter.as_ref(),
        rejection.reason,
        &mut Fresh::draw()?,
    )?;
    app.store.apply(plan).await
}

async fn read_letter(app: &App, letter_id: &LetterId) -> Result<Option<Letter>> {
    app.store.read(&[Want::Letter(letter_id)]).await?.next()
}
