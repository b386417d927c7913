//! The audit trail: who did what to a business account, before and after.

use serde::{Deserialize, Serialize};

use super::{BusinessId, Idp, Urn};

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
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<serde_json::Value>,
}
