//! Requests → the domain's commands (`domain::commands`). Each `TryFrom<&Request>` reads its
//! route's path, body and `If-Match` in the order the route refuses them (a business id that
//! cannot exist is 404 before the body is read) and names every bad body field at once (422).

mod businesses;
mod delegations;
mod dormancy;
mod imports;
mod members;
mod secrets;
mod support;
mod users;

use crate::domain::identifier::BusinessIdentifier;
use crate::domain::Program;
use crate::error::{Error, Result};
use crate::http::Fields;

/// Reads `program` and, with it, `field` as that program's identifier.
fn program_and_identifier(f: &mut Fields, field: &str) -> Result<(Program, BusinessIdentifier)> {
    let program = f.required("program", |s| {
        Program::parse(s).ok_or("must be ttp, emanifest or cers")
    });
    let identifier = match &program {
        Ok(program) => f.required(field, |s| BusinessIdentifier::parse(*program, s)),
        Err(_) => Err(Error::Malformed("program")),
    };
    Ok((program?, identifier?))
}
