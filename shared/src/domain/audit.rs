//! The audit trail: who did what to a business account, before and after.

use serde::{Deserialize, Serialize};

use super::{BusinessId, Idp, PersonName, Urn};

/// Events on a page of the trail when the client does not say.
pub const PAGE_DEFAULT: u32 = 20;
/// The most events a page holds.
pub const PAGE_MAX: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub business_id: BusinessId,
    pub event_id: String,
    /// Nanoseconds since the epoch, 20 digits: the trail's order.
    pub stamp: String,
    pub action: String,
    pub actor_urn: Urn,
    pub actor_idp: Idp,
    pub actor_sub: String,
    /// The actor's name as their account had it when the event was written: someone who has
    /// left the business is still named. Events written before names were kept have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<PersonName>,
    /// The person the event is about (a member given a role, the colleague named in a
    /// transfer), named as they were when it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_urn: Option<Urn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_name: Option<PersonName>,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<serde_json::Value>,
}

impl AuditEvent {
    /// The event as being about the person `urn`, named `name`.
    pub fn about(mut self, urn: &Urn, name: &PersonName) -> Self {
        self.subject_urn = Some(urn.clone());
        self.subject_name = Some(name.clone());
        self
    }
}
