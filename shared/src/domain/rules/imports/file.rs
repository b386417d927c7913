//! The officer's file: whether its first line names the columns, its rows with their lines, and
//! the cells of a row parsed as the edge parses one secret order.

use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::identifier::{Bn9, BusinessIdentifier, IdentifierError};
use crate::domain::import::{ImportRow, ImportStep, ParsedRow, RowProblem, COLUMNS};
use crate::domain::programs::Delivery;
use crate::domain::{Email, Language, Program};

/// Characters of a refused row's identifier cell kept in the report, to find the row by.
const TYPED_MAX: usize = 40;

/// Whether a file's first line names the columns: the six, then `language` or not (any case,
/// spaces around a name ignored).
pub fn header_ok(header: &str) -> bool {
    let names: Vec<String> = header
        .trim_end_matches(['\r', '\n'])
        .split(',')
        .map(|n| n.trim().trim_matches('"').trim().to_ascii_lowercase())
        .collect();
    (names.len() == 6 || names.len() == 7) && names.iter().zip(COLUMNS).all(|(n, c)| n == c)
}

/// A step's rows: each with its line in the file (a quoted cell may hold line breaks, so a
/// row's line is the one it starts on) and its cells parsed, or why not.
pub fn rows_of(step: &ImportStep) -> Vec<(u32, ParsedRow)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(step.csv.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        // The text is UTF-8 (a JSON string), so a record only fails on a line it cannot end;
        // the reader then has nothing more to give.
        let Ok(record) = record else { break };
        let line = step
            .first_line
            .saturating_add(line_breaks_before(&step.csv, &record));
        let cells: Vec<&str> = record.iter().collect();
        rows.push((line, row_of(&cells)));
    }
    rows
}

/// The line breaks before a record's first character: the reader's position may fall on the
/// blank lines and the line ending before the record, which are not the record's.
fn line_breaks_before(text: &str, record: &csv::StringRecord) -> u32 {
    let from = record
        .position()
        .map_or(0, |p| p.byte() as usize)
        .min(text.len());
    let skipped = text.as_bytes()[from..]
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    let breaks = text.as_bytes()[..from + skipped]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(breaks).unwrap_or(u32::MAX)
}

/// One row's cells, in the header's order, parsed; the first bad cell is the reason.
pub fn row_of(cells: &[&str]) -> ParsedRow {
    let typed: String = cells
        .get(1)
        .map(|c| c.trim().chars().take(TYPED_MAX).collect())
        .unwrap_or_default();
    let refuse = |problem| (typed.clone(), problem);
    if cells.len() != 6 && cells.len() != 7 {
        return Err(refuse(RowProblem::WrongColumnCount));
    }
    let program = Program::parse(cells[0].trim().to_ascii_lowercase().as_str())
        .ok_or_else(|| refuse(RowProblem::UnknownProgram))?;
    let identifier = BusinessIdentifier::parse(program, cells[1])
        .map_err(|_| refuse(RowProblem::IdentifierFormat))?;
    let business_number =
        Bn9::parse(cells[2]).map_err(|_| refuse(RowProblem::BusinessNumberFormat))?;
    if program.rules().identifier_kind == crate::domain::programs::IdentifierKind::BusinessNumber
        && Bn9::parse(identifier.as_str()).map_err(|_: IdentifierError| ())
            != Ok(business_number.clone())
    {
        return Err(refuse(RowProblem::BusinessNumberMismatch));
    }
    let legal_name =
        LegalName::parse(cells[3]).map_err(|_| refuse(RowProblem::LegalNameInvalid))?;
    let mailing_address = MailingAddress::parse(&cells[4].replace("\r\n", "\n"))
        .map_err(|_| refuse(RowProblem::MailingAddressInvalid))?;
    let email = match cells[5].trim() {
        "" if program.rules().secret_delivery == Delivery::Email => {
            return Err(refuse(RowProblem::EmailMissing))
        }
        "" => None,
        typed => Some(Email::parse(typed).map_err(|_| refuse(RowProblem::EmailInvalid))?),
    };
    let language = match cells.get(6).map(|c| c.trim().to_ascii_lowercase()) {
        None => Language::En,
        Some(l) if l.is_empty() => Language::En,
        Some(l) => Language::parse(&l).map_err(|_| refuse(RowProblem::LanguageInvalid))?,
    };
    Ok(ImportRow {
        program,
        identifier,
        business_number,
        legal_name,
        mailing_address,
        email,
        language,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;
    use super::*;

    #[test]
    fn a_header_names_the_columns() {
        let cases = [
            (
                "program,identifier,business_number,legal_name,mailing_address,email",
                true,
            ),
            (
                "program,identifier,business_number,legal_name,mailing_address,email,language\r\n",
                true,
            ),
            (
                " Program , IDENTIFIER,business_number,legal_name,mailing_address,\"email\"",
                true,
            ),
            (
                "identifier,program,business_number,legal_name,mailing_address,email",
                false,
            ),
            (
                "program,identifier,business_number,legal_name,mailing_address",
                false,
            ),
            (
                "program,identifier,business_number,legal_name,mailing_address,email,language,x",
                false,
            ),
            ("", false),
        ];
        for (header, ok) in cases {
            assert_eq!(header_ok(header), ok, "{header}");
        }
    }

    #[test]
    fn each_row_is_checked_on_its_own() {
        let cn = client_number();
        fn ok<'a>(program: &'a str, id: &'a str, email: &'a str) -> Vec<&'a str> {
            vec![
                program,
                id,
                BN,
                "Boréal inc.",
                "9 rue A\nGatineau QC",
                email,
            ]
        }
        type Case<'a> = (Vec<&'a str>, Result<(Program, &'a str), RowProblem>);
        let cases: Vec<Case> = vec![
            (ok("ttp", &cn, ""), Ok((Program::Ttp, cn.as_str()))),
            (
                ok(" TTP ", &cn, "a@example.com"),
                Ok((Program::Ttp, cn.as_str())),
            ),
            (
                ok("emanifest", "8abc", "a@example.com"),
                Ok((Program::Emanifest, "8ABC")),
            ),
            (
                ok("cers", "123456782RM0001", "a@example.com"),
                Ok((Program::Cers, "123456782RM0001")),
            ),
            (ok("pip", &cn, ""), Err(RowProblem::UnknownProgram)),
            (
                ok("ttp", "P12345678", ""),
                Err(RowProblem::IdentifierFormat),
            ),
            (
                ok("emanifest", "8ABCD", "a@example.com"),
                Err(RowProblem::IdentifierFormat),
            ),
            (
                ok("cers", "123456789RM0001", "a@example.com"),
                Err(RowProblem::IdentifierFormat),
            ),
            (
                ok("cers", "046454286RM0001", "a@example.com"),
                Err(RowProblem::BusinessNumberMismatch),
            ),
            (ok("emanifest", "8ABC", ""), Err(RowProblem::EmailMissing)),
            (
                ok("emanifest", "8ABC", "not-an-address"),
                Err(RowProblem::EmailInvalid),
            ),
            (
                ok("ttp", &cn, "not-an-address"),
                Err(RowProblem::EmailInvalid),
            ),
            (
                vec!["ttp", &cn, "123456789", "N", "A", ""],
                Err(RowProblem::BusinessNumberFormat),
            ),
            (
                vec!["ttp", &cn, BN, "  ", "A", ""],
                Err(RowProblem::LegalNameInvalid),
            ),
            (
                vec!["ttp", &cn, BN, "A\nsecond,row", "A", ""],
                Err(RowProblem::LegalNameInvalid),
            ),
            (
                vec!["ttp", &cn, BN, "N", "", ""],
                Err(RowProblem::MailingAddressInvalid),
            ),
            (
                vec!["ttp", &cn, BN, "N", "A", "", "de"],
                Err(RowProblem::LanguageInvalid),
            ),
            (
                vec!["ttp", &cn, BN, "N", "A"],
                Err(RowProblem::WrongColumnCount),
            ),
            (vec!["ttp"], Err(RowProblem::WrongColumnCount)),
        ];
        for (cells, expected) in cases {
            let got = row_of(&cells);
            match (&got, &expected) {
                (Ok(row), Ok((program, id))) => {
                    assert_eq!(
                        (row.program, row.identifier.as_str()),
                        (*program, *id),
                        "{cells:?}"
                    );
                    assert_eq!(row.business_number.as_str(), BN);
                    assert_eq!(row.language, Language::En);
                }
                (Err((typed, problem)), Err(want)) => {
                    assert_eq!(problem, want, "{cells:?}");
                    assert_eq!(typed, cells.get(1).map_or("", |c| c.trim()), "{cells:?}");
                }
                _ => panic!("{cells:?}: {got:?}, expected {expected:?}"),
            }
        }
        let french = row_of(&["emanifest", "8abc", BN, "N", "A", "a@example.com", "FR"]).unwrap();
        assert_eq!(french.language, Language::Fr);
    }

    #[test]
    fn rows_keep_their_lines_and_quotes_keep_a_row_whole() {
        let cn = client_number();
        let csv = format!(
            "ttp,{cn},{BN},\"Boréal, inc.\",\"9 rue A\nGatineau QC\",\n\
             ttp,{cn},{BN},\"Evil\nttp,P00000000,{BN},x,y,\",A,\n\
             emanifest,8ABC,{BN},\"=cmd|' /C calc'!A0\",A,a@example.com\r\n\
             \n\
             cers"
        );
        let step = ImportStep {
            import_id: import().import_id,
            first_line: 10,
            csv,
        };
        let rows = rows_of(&step);
        let lines: Vec<u32> = rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [10, 12, 14, 16]);
        let first = rows[0].1.as_ref().unwrap();
        assert_eq!(first.legal_name.as_str(), "Boréal, inc.");
        assert_eq!(first.mailing_address.as_str(), "9 rue A\nGatineau QC");
        // The quoted line break is a cell's, not a second row.
        assert_eq!(
            rows[1].1.as_ref().unwrap_err().1,
            RowProblem::LegalNameInvalid
        );
        // A formula is a name like any other: kept as text.
        let formula = rows[2].1.as_ref().unwrap();
        assert_eq!(formula.legal_name.as_str(), "=cmd|' /C calc'!A0");
        assert_eq!(
            rows[3].1.as_ref().unwrap_err().1,
            RowProblem::WrongColumnCount
        );
    }
}
