//! `GET /businesses/{id}/audit?limit=&cursor=`: the audit trail, newest first, a page at a time
//! (owner and proxy).

use serde::Serialize;

use crate::app::App;
use crate::domain::audit::AuditEvent;
use crate::domain::business::Permission;
use crate::domain::commands::AuditQuery;
use crate::domain::Caller;
use crate::domain::{Idp, PersonName, Urn};
use crate::error::{Error, Result};
use crate::store::audit::AuditCursor;
use crate::usecases::business;

#[derive(Debug, Serialize)]
pub struct AuditEventView {
    pub event_id: String,
    pub action: String,
    pub actor_urn: Urn,
    pub actor_idp: Idp,
    /// Names as they were when the event was written (absent on older events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<PersonName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_urn: Option<Urn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_name: Option<PersonName>,
    pub at: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl From<AuditEvent> for AuditEventView {
    fn from(e: AuditEvent) -> Self {
        Self {
            event_id: e.event_id,
            action: e.action,
            actor_urn: e.actor_urn,
            actor_idp: e.actor_idp,
            actor_name: e.actor_name,
            subject_urn: e.subject_urn,
            subject_name: e.subject_name,
            at: e.at,
            before: e.before,
            after: e.after,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    pub next_cursor: Option<String>,
}

pub async fn audit_page(app: &App, caller: &Caller, query: AuditQuery) -> Result<AuditPage> {
    // A cursor no page gave is refused before anything is read.
    let cursor = match query.cursor.as_deref() {
        None => None,
        Some(raw) => Some(
            AuditCursor::parse(raw)
                .ok_or_else(|| Error::invalid("cursor", "is not a cursor from this list"))?,
        ),
    };
    let id = &query.business_id;
    // One read round: the page is read beside the caller's access and shown only if allowed.
    let (access, (events, next)) = tokio::try_join!(
        business::access(app, &caller.credential, id),
        app.store.audit_page(id, query.limit, cursor.as_ref()),
    )?;
    access.require(Permission::AuditRead)?;
    Ok(AuditPage {
        events: events.into_iter().map(AuditEventView::from).collect(),
        next_cursor: next.map(|cursor| cursor.to_string()),
    })
}
