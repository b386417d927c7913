//! The single mapping from `Error` to an RFC 9457 `application/problem+json` response.

use lambda_http::{http::StatusCode, Body, Response};
use serde::Serialize;

use crate::error::{Error, FieldError};

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'static str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [FieldError]>,
}

/// Seconds a client should wait before retrying after a 503.
const RETRY_AFTER_UNAVAILABLE: u64 = 2;

pub fn problem_response(error: &Error) -> Response<Body> {
    let (status, kind, title, detail, retry_after): (StatusCode, &str, &str, &str, Option<u64>) =
        match error {
            Error::Malformed(d) => (
                StatusCode::BAD_REQUEST,
                "malformed-request",
                "Malformed request",
                d,
                None,
            ),
            Error::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Not authenticated",
                "A valid bearer token from GCKey or a Sign-In Partner is required.",
                None,
            ),
            Error::Forbidden(d) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden", d, None),
            Error::NotFound(d) => (StatusCode::NOT_FOUND, "not-found", "Not found", d, None),
            Error::Conflict(d) => (StatusCode::CONFLICT, "conflict", "Conflict", d, None),
            Error::InProgress { retry_after_secs } => (
            StatusCode::CONFLICT,
            "in-progress",
            "In progress",
            "A request with this Idempotency-Key is still being handled; retry after the given time.",
            Some(*retry_after_secs),
        ),
        Error::Gone(d) => (StatusCode::GONE, "gone", "Gone", d, None),
            Error::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Payload too large",
                "The request body is over 64 KiB.",
                None,
            ),
            Error::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid fields",
                "Some fields are not valid; see errors.",
                None,
            ),
            Error::Locked => (
                StatusCode::LOCKED,
                "locked",
                "Locked",
                "Too many wrong tries: ask for a new shared secret.",
                None,
            ),
            Error::TooManyRequests { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many requests",
                "Too many attempts; try again later.",
                Some(*retry_after_secs),
            ),
            Error::Unavailable(cause) => {
                tracing::error!(%cause, "backing service unavailable");
                (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
                "A service the portal depends on did not answer; nothing was changed. Try again.",
                Some(RETRY_AFTER_UNAVAILABLE),
            )
            }
            Error::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                    "Something went wrong on our side.",
                    None,
                )
            }
        };
    let errors = match error {
        Error::Invalid(fields) => Some(fields.as_slice()),
        _ => None,
    };
    let problem = Problem {
        kind: format!("https://trade-portal.example/problems/{kind}"),
        title,
        status: status.as_u16(),
        detail,
        errors,
    };
    let body = serde_json::to_string(&problem).unwrap_or_default();
    let mut response = Response::builder()
        .status(status)
        .header("content-type", "application/problem+json")
        .header("cache-control", "no-store");
    if let Some(secs) = retry_after {
        response = response.header("retry-after", secs.to_string());
    }
    response
        .body(Body::from(body))
        .unwrap_or_else(|_| Response::new(Body::Empty))
}
