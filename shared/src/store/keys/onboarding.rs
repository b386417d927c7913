//! An identifier's items (its secret, each credential's wrong tries on it), letters (in their
//! status's index and their identifier's list), TTP registrations and the register's entries.

use super::{Key, Keyed};
use crate::domain::identifier::{Bn9, BusinessIdentifier};
use crate::domain::onboarding::{
    IdentifierSecret, Letter, LetterStatus, RegisterEntry, Registration,
};
use crate::domain::programs::Program;
use crate::domain::{CredentialId, LetterId};

pub const SECRET_SK: &str = "SECRET";
pub const REG_SK: &str = "REG";
pub const LETTER_SK: &str = "LETTER";
pub const REGISTER_SK: &str = "ENTRY";

pub fn identifier(program: Program, identifier: &BusinessIdentifier) -> String {
    format!("IDENT#{}#{}", program.as_str(), identifier.as_str())
}

/// One credential's wrong tries on an identifier: in the identifier's partition, beside its
/// secret.
pub fn credential_tries(c: &CredentialId) -> String {
    format!("TRIES#{}#{}", c.idp().as_str(), c.sub())
}

pub fn registration(bn9: &str) -> String {
    format!("REG#{bn9}")
}

pub fn letter(id: &LetterId) -> String {
    format!("LETTER#{id}")
}

/// The GSI1 partition of the letters in one status (a letter moves with its status).
pub fn letters(status: LetterStatus) -> String {
    format!("LETTERS#{}", status.as_str())
}

/// The list of the letters of one identifier (items naming each letter, put with it).
pub fn letters_of(program: Program, identifier: &BusinessIdentifier) -> String {
    format!("LETTERSOF#{}#{}", program.as_str(), identifier.as_str())
}

/// A letter's GSI1 sort key: oldest first, the id keeping two of one instant apart.
pub fn letters_sk(created_at: &str, id: &LetterId) -> String {
    format!("{created_at}#{id}")
}

pub fn register_entry(bn9: &Bn9) -> String {
    format!("BNREGISTER#{}", bn9.as_str())
}

impl Keyed for IdentifierSecret {
    fn key(&self) -> Key {
        Key::new(identifier(self.program, &self.identifier), SECRET_SK)
    }
}

impl Keyed for Letter {
    fn key(&self) -> Key {
        Key::new(letter(&self.letter_id), LETTER_SK)
    }
}

impl Keyed for RegisterEntry {
    fn key(&self) -> Key {
        Key::new(register_entry(&self.business_number), REGISTER_SK)
    }
}

impl Keyed for Registration {
    fn key(&self) -> Key {
        Key::new(registration(&self.business_number), REG_SK)
    }
}
