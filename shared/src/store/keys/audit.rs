//! Audit trails: a business's events, and the agency's by month, newest first by sort key.

use super::{Key, Keyed};
use crate::domain::agency_audit::AgencyAuditEvent;
use crate::domain::audit::AuditEvent;
use crate::domain::BusinessId;

pub fn audit(business_id: &BusinessId) -> String {
    format!("AUDIT#{business_id}")
}

/// The agency audit's partition of one month (`YYYY-MM`).
pub fn agency_audit(month: &str) -> String {
    format!("AGENCYAUDIT#{month}")
}

pub fn audit_sk(at: &str, event_id: &str) -> String {
    format!("{at}#{event_id}")
}

impl Keyed for AuditEvent {
    fn key(&self) -> Key {
        Key::new(
            audit(&self.business_id),
            audit_sk(&self.stamp, &self.event_id),
        )
    }
}

impl Keyed for AgencyAuditEvent {
    fn key(&self) -> Key {
        Key::new(
            agency_audit(&self.month),
            audit_sk(&self.stamp, &self.event_id),
        )
    }
}
