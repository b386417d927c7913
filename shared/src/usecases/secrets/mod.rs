//! Shared secrets: issued by the agency, by TTP registration, or on a request for a new code;
//! delivered by e-mail (sealed in the outbox until SES has it) or by letter (sealed in the
//! letter queue until the agency mails it). Only a keyed hash is kept to check activations.
//!
//! Drawing a secret, hashing it and sealing it with the pepper happen here; what to write is
//! decided by `domain::rules::{secrets, letters}`.

pub mod code_request;
pub mod issue;
pub mod letters;
pub mod registration;

use crate::clock;
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::rules::secrets::DrawnSecret;
use crate::domain::shared_secret::SharedSecret;
use crate::domain::Program;
use crate::error::Result;
use crate::secrets::Pepper;

pub use code_request::request_new_code;
pub use issue::{issue_shared_secret, may_issue, IssuedView};
pub use letters::{
    approve_letter, letters_page, mark_letter_mailed, reject_letter, LetterView, LettersPage,
};
pub use registration::{register, RegistrationView};

const SECRET_PURPOSE: &str = "shared-secret";

/// The keyed hash that stands for a secret, bound to its program and identifier so a secret
/// is worth nothing for any other business.
pub(crate) fn secret_hash(
    pepper: &Pepper,
    program: Program,
    identifier: &BusinessIdentifier,
    secret: &SharedSecret,
) -> String {
    let bound = format!(
        "{}:{}:{}",
        program.as_str(),
        identifier.as_str(),
        secret.expose_for_hashing()
    );
    pepper.hash(SECRET_PURPOSE, &bound)
}

/// A new secret for `identifier` from the system's CSPRNG: what is kept and delivered (its
/// hash, and the secret sealed), and the grouped form shown once.
pub(crate) fn draw_secret(
    pepper: &Pepper,
    program: Program,
    identifier: &BusinessIdentifier,
) -> Result<(DrawnSecret, String)> {
    let (secret, shown) = SharedSecret::from_random(&clock::random::<15>()?);
    let drawn = DrawnSecret {
        hash: secret_hash(pepper, program, identifier, &secret),
        sealed: pepper.seal(&shown)?,
    };
    Ok((drawn, shown))
}
