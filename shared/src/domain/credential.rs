//! The credential a person signs in with. A user account is found by (idp, sub), never by
//! anything a request body says.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The two credential providers the portals accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Idp {
    #[serde(rename = "gckey")]
    GcKey,
    #[serde(rename = "sign-in-partner")]
    SignInPartner,
}

impl Idp {
    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "gckey" => Some(Self::GcKey),
            "sign-in-partner" => Some(Self::SignInPartner),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GcKey => "gckey",
            Self::SignInPartner => "sign-in-partner",
        }
    }
}

/// When and how the caller signed in, as the token says (`auth_time`, `amr`): what the
/// step-up rules (`rules::step_up`) ask of sensitive and agency routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignIn {
    /// Seconds since the epoch; `None` when the token does not say.
    pub at: Option<i64>,
    /// The sign-in used a second factor (`amr` contains `mfa`).
    pub mfa: bool,
}

/// (idp, sub): who is calling, as the credential provider vouches. Stored as `idp` and `sub`
/// beside the other attributes of an item, and read back through `new`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "StoredCredential")]
pub struct CredentialId {
    idp: Idp,
    sub: String,
}

impl CredentialId {
    /// `sub` is the provider's opaque subject; it is bounded so it fits a key.
    pub fn new(idp: Idp, sub: &str) -> Option<Self> {
        let ok = !sub.is_empty() && sub.len() <= 255 && !sub.chars().any(char::is_control);
        ok.then(|| Self {
            idp,
            sub: sub.to_owned(),
        })
    }

    pub fn idp(&self) -> Idp {
        self.idp
    }

    pub fn sub(&self) -> &str {
        &self.sub
    }
}

/// A credential as the table holds it, before it is checked again.
#[derive(Deserialize)]
struct StoredCredential {
    idp: Idp,
    sub: String,
}

impl TryFrom<StoredCredential> for CredentialId {
    type Error = &'static str;

    fn try_from(stored: StoredCredential) -> Result<Self, &'static str> {
        Self::new(stored.idp, &stored.sub)
            .ok_or("sub must be 1 to 255 bytes without control characters")
    }
}

impl fmt::Display for CredentialId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.idp.as_str(), self.sub)
    }
}

/// Who is calling, as their token says (checked at the edge, `http::auth`).
#[derive(Debug, Clone)]
pub struct Caller {
    pub credential: CredentialId,
    pub agency_officer: bool,
    /// When and how they signed in (`auth_time`, `amr`), for the step-up rules.
    pub sign_in: SignIn,
}
