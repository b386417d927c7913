//! The agency audit: what each officer did (issued a secret, decided or mailed a letter, read
//! pending codes, edited the business register, looked up a user or a business), written in the same commit as the action.
//! Kept by month, so no single partition takes every officer's writes for ever.

use serde::{Deserialize, Serialize};

use super::credential::{CredentialId, Idp};
use crate::clock::Fresh;

/// Events on a page of the agency audit.
pub const PAGE: u32 = 50;

/// What an officer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgencyAction {
    #[serde(rename = "secret.issued")]
    SecretIssued,
    #[serde(rename = "letter.approved")]
    LetterApproved,
    #[serde(rename = "letter.rejected")]
    LetterRejected,
    #[serde(rename = "letter.mailed")]
    LetterMailed,
    #[serde(rename = "letters.codes_read")]
    PendingCodesRead,
    #[serde(rename = "register.edited")]
    RegisterEdited,
    #[serde(rename = "user.reinstated")]
    UserReinstated,
    /// A secret issued for an identifier whose business account exists: owner recovery.
    #[serde(rename = "secret.issued_for_recovery")]
    RecoverySecretIssued,
    /// The support desk looked up a user account by URN.
    #[serde(rename = "user.looked_up")]
    UserLookedUp,
    /// The support desk looked up a business by its identifier or Business Number.
    #[serde(rename = "business.looked_up")]
    BusinessLookedUp,
    /// A batch import of current members started (its file's SHA-256 and name). Each row it
    /// issues is in the audit as its own `secret.issued` and `register.edited`, as if typed.
    #[serde(rename = "import.started")]
    ImportStarted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyAuditEvent {
    /// `YYYY-MM` of `at`: the partition the event is kept in.
    pub month: String,
    /// Nanoseconds since the epoch, 20 digits: the audit's order within the month.
    pub stamp: String,
    pub event_id: String,
    pub action: AgencyAction,
    pub officer_idp: Idp,
    pub officer_sub: String,
    /// The identifiers (Client Number, Business Number, letter id) or URNs the action was on.
    pub concerned: Vec<String>,
    pub at: String,
}

impl AgencyAuditEvent {
    /// `officer` did `action` on `concerned`, now.
    pub fn new(
        officer: &CredentialId,
        action: AgencyAction,
        concerned: Vec<String>,
        fresh: &mut Fresh,
    ) -> Self {
        Self {
            month: month_of(&fresh.now.rfc3339),
            stamp: fresh.now.sortable.clone(),
            event_id: fresh.id(),
            action,
            officer_idp: officer.idp(),
            officer_sub: officer.sub().to_owned(),
            concerned,
            at: fresh.now.rfc3339.clone(),
        }
    }
}

/// `YYYY-MM` of an RFC 3339 time.
pub fn month_of(rfc3339: &str) -> String {
    rfc3339.get(..7).unwrap_or_default().to_owned()
}

/// A month as `YYYY-MM`, to page back through the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    year: u16,
    month: u8,
}

impl Month {
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        let ok = year.len() == 4 && month.len() == 2;
        let year: u16 = year.parse().ok().filter(|_| ok)?;
        let month: u8 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
        Some(Self { year, month })
    }

    pub fn previous(self) -> Self {
        match self.month {
            1 => Self {
                year: self.year.saturating_sub(1),
                month: 12,
            },
            m => Self {
                year: self.year,
                month: m - 1,
            },
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_names_the_officer_and_its_month() {
        let officer = CredentialId::new(Idp::GcKey, "officer-1").unwrap();
        let mut fresh = Fresh::fixed(1_795_000_000);
        let event = AgencyAuditEvent::new(
            &officer,
            AgencyAction::LetterMailed,
            vec!["P12345671".into()],
            &mut fresh,
        );
        assert_eq!(event.month, "2026-11");
        assert_eq!(event.at, "2026-11-18T11:06:40Z");
        assert_eq!(
            (event.officer_idp, event.officer_sub.as_str()),
            (Idp::GcKey, "officer-1")
        );
        assert_eq!(event.stamp, fresh.now.sortable);
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["action"], "letter.mailed");
    }

    #[test]
    fn months_go_back_across_years() {
        let cases = [
            ("2026-11", Some("2026-10")),
            ("2026-01", Some("2025-12")),
            ("2026-13", None),
            ("2026-00", None),
            ("26-11", None),
            ("2026-1", None),
            ("2026/11", None),
            ("", None),
        ];
        for (text, previous) in cases {
            let got = Month::parse(text).map(|m| m.previous().to_string());
            assert_eq!(got.as_deref(), previous, "{text}");
        }
        assert_eq!(Month::parse("2026-11").unwrap().to_string(), "2026-11");
    }
}
