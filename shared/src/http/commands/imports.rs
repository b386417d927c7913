//! Batch imports' requests: start an import of a file, send one step of its rows, read its
//! report. An id that is not a SHA-256 cannot name an import (404 before anything is read).

use lambda_http::Request;

use crate::domain::import::{ImportId, ImportReportQuery, ImportStart, ImportStep};
use crate::domain::person::bounded_text;
use crate::domain::rules::imports::header_ok;
use crate::error::{Error, Result};
use crate::http::{path_param, query_param, Fields};

/// Rows a file may say it has (the lines of a file the portal reads at once, and more).
pub const MAX_ROWS: u32 = 1_000_000;

fn import_id(request: &Request) -> Result<ImportId> {
    path_param(request, "import_id")
        .and_then(|id| ImportId::parse(&id).ok())
        .ok_or(Error::NotFound("No such import."))
}

/// `POST /agency/imports` `{file_name, sha256, rows, header}`: the file's first line must name
/// the columns, so a file in another order is refused before any row is read.
impl TryFrom<&Request> for ImportStart {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let file_name = f.required("file_name", |s| bounded_text(s, 200, false));
        let import_id = f.required("sha256", ImportId::parse);
        let rows = f.required_count("rows", 1, MAX_ROWS);
        let header = f.required("header", |s| {
            if header_ok(s) {
                Ok(())
            } else {
                Err("must name the columns program, identifier, business_number, legal_name, mailing_address, email and optionally language")
            }
        });
        f.finish()?;
        header?;
        Ok(ImportStart {
            import_id: import_id?,
            file_name: file_name?,
            rows: rows?,
        })
    }
}

/// `POST /agency/imports/{import_id}/rows` `{first_line, csv}`: rows of the file after its
/// header (line 1), so the first is on line 2 or later.
impl TryFrom<&Request> for ImportStep {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let import_id = import_id(request)?;
        let mut f = Fields::from_body(request.body())?;
        let first_line = f.required_count("first_line", 2, MAX_ROWS * 100);
        let csv = f.required("csv", |s| {
            if s.trim().is_empty() {
                Err("must hold at least one row")
            } else {
                Ok(s.to_owned())
            }
        });
        f.finish()?;
        Ok(ImportStep {
            import_id,
            first_line: first_line?,
            csv: csv?,
        })
    }
}

/// `GET /agency/imports/{import_id}?after_line=`: from the first line when none is given.
impl TryFrom<&Request> for ImportReportQuery {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let import_id = import_id(request)?;
        let after_line = match query_param(request, "after_line") {
            None => 0,
            Some(raw) => raw
                .parse::<u32>()
                .map_err(|_| Error::invalid("after_line", "must be a line number"))?,
        };
        Ok(ImportReportQuery {
            import_id,
            after_line,
        })
    }
}
