//! A batch import of current members: an officer's CSV file (program, identifier, Business
//! Number, legal name, mailing address, e-mail, and optionally language), each row put in the
//! agency's business register and issued a code by its program's channel.
//!
//! The import is named by the SHA-256 of its file, so the same file is the same import however
//! often it is sent; each row's outcome is kept under it by line number, so a step sent again
//! issues nothing twice and only reports what was done.

use serde::{Deserialize, Serialize};

use super::business::{LegalName, MailingAddress};
use super::credential::Idp;
use super::identifier::{Bn9, BusinessIdentifier};
use super::onboarding::SecretPurpose;
use super::programs::Delivery;
use super::{Email, Language, LetterId, Program};

/// Rows one step may carry: the step reads each row's line, claim, secret and (TTP) the
/// Business Number's registration with the import in one BatchGetItem (at most 100 keys:
/// 1 + 24 × 4), then writes each row in its own transaction.
pub const STEP_ROWS: usize = 24;

/// Lines of the report one `GET /agency/imports/{id}` page holds at most.
pub const REPORT_PAGE: i32 = 500;

/// The columns a file's first line names, in this order (`language` may be left out).
pub const COLUMNS: [&str; 7] = [
    "program",
    "identifier",
    "business_number",
    "legal_name",
    "mailing_address",
    "email",
    "language",
];

/// The id of an import: the lower-case hex SHA-256 of its file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImportId(String);

serde_via_parse!(ImportId);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be the file's SHA-256: 64 hexadecimal digits")]
pub struct ImportIdError;

impl ImportId {
    pub fn parse(input: &str) -> Result<Self, ImportIdError> {
        let text = input.trim().to_ascii_lowercase();
        let shaped = text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit());
        shaped.then_some(Self(text)).ok_or(ImportIdError)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ImportId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An import as started: which file, how many rows it said it has, who started it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    pub import_id: ImportId,
    pub file_name: String,
    pub rows: u32,
    pub started_by_idp: Idp,
    pub started_by: String,
    pub started_at: String,
}

/// One row of a file, every cell parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    pub business_number: Bn9,
    pub legal_name: LegalName,
    pub mailing_address: MailingAddress,
    /// Required where the program sends codes by e-mail.
    pub email: Option<Email>,
    /// The contact's language for the e-mail; English when the row does not say.
    pub language: Language,
}

/// A row's cells parsed, or its identifier cell as typed and why the row is refused.
pub type ParsedRow = Result<ImportRow, (String, RowProblem)>;

/// Why a row was not imported. The report carries the code; the portal says it in English
/// and French.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum RowProblem {
    /// Not the six (or seven) columns of the header.
    WrongColumnCount,
    UnknownProgram,
    /// The identifier does not have the program's format (or its check digit is wrong).
    IdentifierFormat,
    /// Not a Business Number, or its check digit is wrong.
    BusinessNumberFormat,
    /// A CERS identifier carries its Business Number: the two columns must agree.
    BusinessNumberMismatch,
    LegalNameInvalid,
    MailingAddressInvalid,
    /// The program sends its codes by e-mail, and the row has none.
    EmailMissing,
    EmailInvalid,
    /// Not `en` or `fr`.
    LanguageInvalid,
    /// An earlier line of the same file has this program and identifier.
    DuplicateIdentifier {
        first_line: u32,
    },
    /// (TTP) The Business Number is registered already, under another Client Number: a
    /// Business Number registers once.
    BusinessNumberRegistered,
}

/// What became of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum LineOutcome {
    /// A code was issued (its keyed hash kept, the code itself sealed in the letter or the
    /// notice): never the code here.
    Issued {
        program: Program,
        identifier: BusinessIdentifier,
        business_number: Bn9,
        legal_name: LegalName,
        purpose: SecretPurpose,
        delivery: Delivery,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        letter_id: Option<LetterId>,
    },
    /// The row was refused; `identifier` is the cell as typed (cut short), to find the row.
    Refused {
        identifier: String,
        #[serde(flatten)]
        problem: RowProblem,
    },
}

/// One line's outcome, kept under its import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRecord {
    pub import_id: ImportId,
    pub line: u32,
    #[serde(flatten)]
    pub outcome: LineOutcome,
    pub at: String,
}

/// An identifier taken by a line of an import: a later line with it is a duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifierClaim {
    pub import_id: ImportId,
    pub program: Program,
    pub identifier: BusinessIdentifier,
    pub line: u32,
}

/// `POST /agency/imports`.
#[derive(Debug, Clone)]
pub struct ImportStart {
    pub import_id: ImportId,
    pub file_name: String,
    pub rows: u32,
}

/// `POST /agency/imports/{id}/rows`: one bounded step of a file, its rows as CSV without the
/// header, the first of them on `first_line` of the file.
#[derive(Debug, Clone)]
pub struct ImportStep {
    pub import_id: ImportId,
    pub first_line: u32,
    pub csv: String,
}

/// `GET /agency/imports/{id}?after_line=`.
#[derive(Debug, Clone)]
pub struct ImportReportQuery {
    pub import_id: ImportId,
    pub after_line: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_id_is_a_sha256() {
        let hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let cases = [
            (hex.to_owned(), Some(hex)),
            (hex.to_uppercase(), Some(hex)),
            (hex[..63].to_owned(), None),
            (format!("{}g", &hex[..63]), None),
            ("../x".to_owned(), None),
        ];
        for (input, kept) in cases {
            let got = ImportId::parse(&input).ok();
            assert_eq!(got.as_ref().map(ImportId::as_str), kept, "{input}");
        }
    }

    #[test]
    fn a_refused_line_reads_back_with_its_reason() {
        let record = LineRecord {
            import_id: ImportId::parse(&"a".repeat(64)).unwrap(),
            line: 7,
            outcome: LineOutcome::Refused {
                identifier: "8ABC".into(),
                problem: RowProblem::DuplicateIdentifier { first_line: 3 },
            },
            at: "2026-11-18T11:06:40Z".into(),
        };
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["outcome"], "refused");
        assert_eq!(json["reason"], "duplicate_identifier");
        assert_eq!(json["first_line"], 3);
        assert_eq!(serde_json::from_value::<LineRecord>(json).unwrap(), record);
    }
}
