//! The signed proof of a delegation: the claims the portal signs, for a customs officer or
//! another system to check offline.

use serde::{Deserialize, Serialize};

use super::{Day, DelegatedPermissions, Party};
use crate::domain::ids::DelegationId;
use crate::domain::Program;

/// A party as a proof states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofParty {
    pub program: Program,
    pub business_identifier: String,
    pub legal_name: Option<String>,
}

impl From<&Party> for ProofParty {
    fn from(p: &Party) -> Self {
        Self {
            program: p.program,
            business_identifier: p.identifier.as_str().to_owned(),
            legal_name: p.legal_name.as_ref().map(|n| n.as_str().to_owned()),
        }
    }
}

/// The claims of a proof of delegation (a JWS the portal signs): who acts for whom, in which
/// program, with what, until when. `exp` is the end of the end day; `sub` the delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofClaims {
    pub iss: String,
    pub jti: String,
    pub sub: DelegationId,
    pub iat: i64,
    pub exp: i64,
    pub program: Program,
    pub grantor: ProofParty,
    pub grantee: ProofParty,
    pub permissions: DelegatedPermissions,
    pub ends_on: Day,
}

/// Who issues proofs.
pub const PROOF_ISSUER: &str = "trade-portal-accounts";
