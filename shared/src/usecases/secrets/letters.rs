//! The letter queue: `GET /agency/letters?status=pending` and
//! `POST /agency/letters/{id}/mailed`.

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::onboarding::Letter;
use crate::domain::rules::{letters, step_up};
use crate::domain::{Language, LetterId, Program};
use crate::error::Result;
use crate::http::Caller;
use crate::store::reads::Want;

#[derive(Debug, Serialize)]
pub struct LetterView {
    pub letter_id: LetterId,
    pub program: Program,
    pub business_identifier: String,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    pub language: Language,
    pub shared_secret: String,
    pub expires_at: String,
    pub created_at: String,
}

/// Letters to print and mail, with their codes (opened with the pepper for the officer).
pub async fn pending_letters(app: &App, caller: &Caller) -> Result<Vec<LetterView>> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let pepper = app.pepper()?;
    let mut views = Vec::new();
    for letter in app.store.pending_letters().await? {
        // Only a pending letter has its code; the index holds pending letters only.
        let Some(sealed) = &letter.sealed_secret else {
            continue;
        };
        views.push(LetterView {
            shared_secret: pepper.open(sealed)?,
            letter_id: letter.letter_id,
            program: letter.program,
            business_identifier: letter.business_identifier.as_str().to_owned(),
            legal_name: letter.legal_name,
            mailing_address: letter.mailing_address,
            language: letter.language,
            expires_at: clock::at(letter.expires_at).rfc3339,
            created_at: letter.created_at,
        });
    }
    Ok(views)
}

/// The letter is in the mail; its code leaves the table.
pub async fn mark_letter_mailed(app: &App, caller: &Caller, letter_id: &LetterId) -> Result<()> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let mut found = app.store.read(&[Want::Letter(letter_id)]).await?;
    let letter: Option<Letter> = found.next()?;
    let plan = letters::mark_mailed(letter.as_ref(), &Fresh::draw()?)?;
    app.store.apply(plan).await
}
