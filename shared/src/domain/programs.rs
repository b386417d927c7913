//! The three programs one deployment serves, and their rules, as one table of configuration.
//! `GET /programs` serves this table as it is.

use serde::{Deserialize, Serialize};

/// Version of the portal's own terms and conditions a user accepts when creating an account.
pub const PORTAL_TERMS_VERSION: &str = "2026-01";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Program {
    /// Trusted Trader Portal (Partners in Protection).
    Ttp,
    /// eManifest Portal (carriers).
    Emanifest,
    /// Canadian Export Reporting System portal (exporters).
    Cers,
}

/// How a business is identified in a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// Issued by the system at TTP registration.
    ClientNumber,
    /// Four-character carrier code.
    CarrierCode,
    /// Nine-digit Business Number with its RM program account (e.g. 123456789RM0001).
    BusinessNumber,
}

/// How the program's shared secret (activation code) reaches the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Registered-mail letter to the mailing address on file.
    Letter,
    /// E-mail to the approved contact.
    Email,
}

/// One program's rules.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramRules {
    pub program: Program,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    pub identifier_kind: IdentifierKind,
    pub secret_delivery: Delivery,
    /// NIST SP 800-63B caps postal one-time codes at 30 days: no program may set more.
    pub secret_lifetime_days: u32,
    pub terms_version: &'static str,
}

/// NIST SP 800-63B's cap on the life of a code sent by post.
pub const MAX_SECRET_LIFETIME_DAYS: u32 = 30;

pub static PROGRAMS: [ProgramRules; 3] = [
    ProgramRules {
        program: Program::Ttp,
        name_en: "Trusted Trader Portal",
        name_fr: "Portail des négociants fiables",
        identifier_kind: IdentifierKind::ClientNumber,
        secret_delivery: Delivery::Letter,
        secret_lifetime_days: 30,
        terms_version: "ttp-2026-01",
    },
    ProgramRules {
        program: Program::Emanifest,
        name_en: "eManifest Portal",
        name_fr: "Portail du manifeste électronique",
        identifier_kind: IdentifierKind::CarrierCode,
        secret_delivery: Delivery::Email,
        secret_lifetime_days: 30,
        terms_version: "emanifest-2025-09",
    },
    ProgramRules {
        program: Program::Cers,
        name_en: "Canadian Export Reporting System portal",
        name_fr: "Portail du Système canadien de déclaration des exportations",
        identifier_kind: IdentifierKind::BusinessNumber,
        secret_delivery: Delivery::Email,
        secret_lifetime_days: 30,
        terms_version: "cers-2026-02",
    },
];

impl Program {
    pub fn parse(input: &str) -> Option<Self> {
        PROGRAMS
            .iter()
            .map(|r| r.program)
            .find(|p| p.as_str() == input)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ttp => "ttp",
            Self::Emanifest => "emanifest",
            Self::Cers => "cers",
        }
    }
    pub fn rules(self) -> &'static ProgramRules {
        // The table holds every variant; `position` cannot miss.
        &PROGRAMS[self as usize]
    }
}

/// The body of `GET /programs`.
#[derive(Debug, Serialize)]
pub struct ProgramsView {
    pub portal_terms_version: &'static str,
    pub programs: &'static [ProgramRules],
}

pub fn programs_view() -> ProgramsView {
    ProgramsView {
        portal_terms_version: PORTAL_TERMS_VERSION,
        programs: &PROGRAMS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_indexed_by_program_and_within_the_postal_cap() {
        for (i, rules) in PROGRAMS.iter().enumerate() {
            assert_eq!(rules.program as usize, i);
            assert_eq!(rules.program.rules().program, rules.program);
            assert_eq!(Program::parse(rules.program.as_str()), Some(rules.program));
            assert!(
                rules.secret_lifetime_days >= 1
                    && rules.secret_lifetime_days <= MAX_SECRET_LIFETIME_DAYS
            );
        }
        assert_eq!(Program::parse("TTP"), None);
    }
}
