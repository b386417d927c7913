//! One business in a delegation, named by program and identifier, and by its account once
//! known: a grant to an identifier waits for the account that takes it.

use serde::{Deserialize, Serialize};

use crate::domain::business::{BusinessAccount, LegalName};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::ids::BusinessId;
use crate::domain::Program;

/// One business in a delegation: by program and identifier, and by id once known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub program: Program,
    pub identifier: BusinessIdentifier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_id: Option<BusinessId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_name: Option<LegalName>,
}

impl Party {
    /// How the other side and notices name it: its legal name once it took part, else the
    /// identifier typed.
    pub fn shown(&self) -> String {
        match &self.legal_name {
            Some(name) => format!("{name} ({})", self.identifier),
            None => self.identifier.to_string(),
        }
    }

    /// A business account as a party.
    pub fn of(account: &BusinessAccount) -> Self {
        let b = &account.business;
        Self {
            program: b.program,
            identifier: b.identifier.clone(),
            business_id: Some(b.business_id.clone()),
            legal_name: Some(b.legal_name.clone()),
        }
    }

    /// A business known only by what the other side typed (`business_id` if the identifier has
    /// a live account: it is never shown to the other side before it answers).
    pub fn named(
        program: Program,
        identifier: BusinessIdentifier,
        business_id: Option<BusinessId>,
    ) -> Self {
        Self {
            program,
            identifier,
            business_id,
            legal_name: None,
        }
    }

    /// Whether `account` is this party: the same program and identifier, and the same account
    /// once one is known (a later account for a freed identifier is not the party).
    pub fn is(&self, account: &BusinessAccount) -> bool {
        let b = &account.business;
        self.program == b.program
            && self.identifier == b.identifier
            && self
                .business_id
                .as_ref()
                .is_none_or(|id| id == &b.business_id)
    }
}
