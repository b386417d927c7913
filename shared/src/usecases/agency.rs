//! The agency's own records: its business register (`PUT /agency/business-register/{bn}`)
//! and the audit of what its officers did (`GET /agency/audit`).

use serde::Serialize;

use crate::app::App;
use crate::clock::{self, Fresh};
use crate::domain::agency_audit::{month_of, AgencyAction, AgencyAuditEvent, Month};
use crate::domain::commands::RegisterEdit;
use crate::domain::onboarding::RegisterEntry;
use crate::domain::rules::{business_register, step_up};
use crate::domain::Caller;
use crate::domain::Idp;
use crate::error::{Error, Result};
use crate::store::agency_audit::AgencyAuditCursor;

/// The record as kept: registrations of its Business Number are mailed to this address.
pub async fn edit_register(
    app: &App,
    caller: &Caller,
    edit: RegisterEdit,
) -> Result<RegisterEntry> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let (plan, entry) = business_register::edit(&caller.credential, edit, &mut Fresh::draw()?);
    app.store.apply(plan).await?;
    Ok(entry)
}

#[derive(Debug, Serialize)]
pub struct AgencyAuditView {
    pub event_id: String,
    pub action: AgencyAction,
    pub officer_idp: Idp,
    pub officer_sub: String,
    pub concerned: Vec<String>,
    pub at: String,
}

impl From<AgencyAuditEvent> for AgencyAuditView {
    fn from(e: AgencyAuditEvent) -> Self {
        Self {
            event_id: e.event_id,
            action: e.action,
            officer_idp: e.officer_idp,
            officer_sub: e.officer_sub,
            concerned: e.concerned,
            at: e.at,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct AgencyAuditPage {
    pub events: Vec<AgencyAuditView>,
    pub next_cursor: Option<String>,
}

/// A page of the agency audit, newest first, from this month or from where `cursor` says.
pub async fn audit_page(
    app: &App,
    caller: &Caller,
    cursor: Option<&str>,
) -> Result<AgencyAuditPage> {
    step_up::agency_only(caller.agency_officer, &caller.sign_in)?;
    let from = match cursor {
        Some(raw) => AgencyAuditCursor::parse(raw)
            .ok_or_else(|| Error::invalid("cursor", "is not a cursor from this list"))?,
        None => {
            let month = Month::parse(&month_of(&clock::now().rfc3339))
                .ok_or_else(|| Error::Internal("the clock gave no month".into()))?;
            AgencyAuditCursor::newest(month)
        }
    };
    let (events, next) = app.store.agency_audit_page(from).await?;
    Ok(AgencyAuditPage {
        events: events.into_iter().map(AgencyAuditView::from).collect(),
        next_cursor: next.map(|c| c.to_string()),
    })
}
