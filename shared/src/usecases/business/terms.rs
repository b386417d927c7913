//! `POST /businesses/{id}/terms`: the owner accepts the program's current terms → authorized.

use serde::Serialize;

use crate::app::App;
use crate::clock::Fresh;
use crate::domain::business::BusinessStatus;
use crate::domain::commands::TermsAcceptance;
use crate::domain::rules::business;
use crate::domain::Caller;
use crate::error::Result;

#[derive(Debug, Serialize)]
pub struct TermsView {
    pub status: BusinessStatus,
    pub terms_version: String,
}

pub async fn accept_terms(app: &App, caller: &Caller, terms: TermsAcceptance) -> Result<TermsView> {
    let access = super::access(app, &caller.credential, &terms.business_id).await?;
    let plan = business::accept_terms(&access, &terms.version, &mut Fresh::draw()?)?;
    app.store.apply(plan).await?;
    Ok(TermsView {
        status: BusinessStatus::Authorized,
        terms_version: terms.version,
    })
}
