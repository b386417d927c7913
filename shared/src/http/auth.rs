//! Bearer-token verification. API Gateway's JWT authorizer checks the token first when
//! deployed; every function checks it again here, with the algorithm pinned, so a function
//! reached some other way (or a misconfigured authorizer) still trusts nothing unsigned.

use std::collections::HashMap;

use jsonwebtoken::{jwk::JwkSet, Algorithm, DecodingKey, Validation};
use lambda_http::Request;
use serde::Deserialize;

use crate::domain::{Caller, CredentialId, Idp, SignIn};
use crate::error::{Error, Result};

/// The portal role an agency officer's token carries.
const AGENCY_OFFICER: &str = "agency-officer";

/// The `amr` value of a sign-in with a second factor (RFC 8176).
const MULTI_FACTOR: &str = "mfa";

#[derive(Deserialize)]
struct Claims {
    sub: String,
    idp: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    auth_time: Option<i64>,
    #[serde(default)]
    amr: Vec<String>,
}

/// Verifies tokens against the credential provider's keys (a JWKS from Secrets Manager).
pub struct TokenVerifier {
    keys: HashMap<String, DecodingKey>,
    validation: Validation,
}

impl TokenVerifier {
    /// Built once per cold start. Only RS256 keys with a `kid` are taken: RS256 is what the
    /// providers sign with, and pinning it refuses `alg: none` and HS256-with-the-public-key.
    pub fn from_jwks(jwks_json: &str, issuer: &str, audience: &str) -> Result<Self> {
        let set: JwkSet = serde_json::from_str(jwks_json)
            .map_err(|e| Error::Internal(format!("JWT key set is not a JWKS document: {e}")))?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let Some(kid) = jwk.common.key_id.clone() else {
                continue;
            };
            match DecodingKey::from_jwk(jwk) {
                Ok(key) if key.family() == jsonwebtoken::AlgorithmFamily::Rsa => {
                    keys.insert(kid, key);
                }
                _ => {
                    tracing::warn!(%kid, "skipping a JWKS key that is not an RSA verification key")
                }
            }
        }
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        Ok(Self { keys, validation })
    }

    /// The caller behind `Authorization: Bearer …`, or 401.
    pub fn verify_request(&self, request: &Request) -> Result<Caller> {
        let header = request
            .headers()
            .get("authorization")
            .ok_or(Error::Unauthenticated)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .ok_or(Error::Unauthenticated)?;
        self.verify(token.trim())
    }

    pub fn verify(&self, token: &str) -> Result<Caller> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| Error::Unauthenticated)?;
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.get(kid))
            .ok_or(Error::Unauthenticated)?;
        let data = jsonwebtoken::decode::<Claims>(token, key, &self.validation).map_err(|e| {
            tracing::info!(reason = %e.kind_description(), "token refused");
            Error::Unauthenticated
        })?;
        let claims = data.claims;
        let idp = Idp::parse(&claims.idp).ok_or(Error::Unauthenticated)?;
        let credential = CredentialId::new(idp, &claims.sub).ok_or(Error::Unauthenticated)?;
        Ok(Caller {
            credential,
            agency_officer: claims.roles.iter().any(|r| r == AGENCY_OFFICER),
            sign_in: SignIn {
                at: claims.auth_time,
                mfa: claims.amr.iter().any(|m| m == MULTI_FACTOR),
            },
        })
    }
}

trait KindDescription {
    fn kind_description(&self) -> &'static str;
}

impl KindDescription for jsonwebtoken::errors::Error {
    /// A short reason for the log: never the token itself.
    fn kind_description(&self) -> &'static str {
        use jsonwebtoken::errors::ErrorKind as K;
        match self.kind() {
            K::ExpiredSignature => "expired",
            K::ImmatureSignature => "not yet valid",
            K::InvalidIssuer => "wrong issuer",
            K::InvalidAudience => "wrong audience",
            K::InvalidSignature => "bad signature",
            K::InvalidAlgorithm => "wrong algorithm",
            K::MissingRequiredClaim(_) => "missing claim",
            _ => "malformed",
        }
    }
}
