//! The one error type of the portal. Every refusal and failure is one of these; it is turned
//! into an RFC 9457 problem response in exactly one place: `http::problem`.

/// A field that failed validation, named as the request named it (`owner_contact.phone`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the body is not JSON, or not a JSON object.
    #[error("malformed request: {0}")]
    Malformed(&'static str),
    /// 401: no usable credential token.
    #[error("not authenticated")]
    Unauthenticated,
    /// 401 with an RFC 9470 challenge: signed in, but not recently or strongly enough for
    /// this route. `StepUp` is what `WWW-Authenticate` asks the credential provider for.
    #[error("sign in again: {0}")]
    SignInAgain(&'static str, StepUp),
    /// 403: a member, or a holder of a token, that may not do this.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// 404: no such thing, or not visible to the caller (never says which).
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// 409: conflicts with the current state (exists already, wrong state, lost a race).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// 409 with `Retry-After`: the same request (same Idempotency-Key) is still being handled.
    #[error("in progress")]
    InProgress { retry_after_secs: u64 },
    /// 410: a one-time secret or code that expired or was used.
    #[error("gone: {0}")]
    Gone(&'static str),
    /// 413: body over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 422: fields that fail validation.
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    /// 423: this credential is locked out of an identifier after too many wrong tries.
    #[error("locked")]
    Locked,
    /// 429: too many attempts; try again after the given seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// 403, 404, 409, 410, 422, 423 or 429: the portal's rules say no (see `http::problem`).
    #[error("refused: {0:?}")]
    Refused(crate::domain::Refusal),
    /// 503: a backing service (DynamoDB, Secrets Manager, SES) did not answer; nothing was written.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// 500: a bug or an impossible state; logged in full, shown to nobody.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }
}

/// A refusal carried as an error; `http::problem` says what it means to the caller.
impl From<crate::domain::Refusal> for Error {
    fn from(refusal: crate::domain::Refusal) -> Self {
        Self::Refused(refusal)
    }
}

/// What a sign-in lacks for the route (RFC 9470's challenge parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepUp {
    /// A sign-in at most this many seconds old (`max_age`).
    MaxAge(i64),
    /// A sign-in with a second factor (`acr_values`).
    MultiFactor,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
