//! Successful replies: a status and a JSON body, turned into a response in one place.

use lambda_http::{http::StatusCode, Body, Response};
use serde::Serialize;

use crate::error::{Error, Result};

pub struct Reply {
    status: StatusCode,
    body: Option<String>,
    /// Where the next page is, as a `Link: <…>; rel="next"` header (RFC 8288), for a list
    /// whose body is the list itself.
    next: Option<String>,
}

impl Reply {
    fn json(status: StatusCode, value: &impl Serialize) -> Result<Self> {
        let body = serde_json::to_string(value)
            .map_err(|e| Error::Internal(format!("serializing a reply: {e}")))?;
        Ok(Self {
            status,
            body: Some(body),
            next: None,
        })
    }

    /// The reply with a `Link` to the next page (a path and query of this API).
    pub fn with_next(self, next: Option<String>) -> Self {
        Self { next, ..self }
    }
    pub fn ok(value: &impl Serialize) -> Result<Self> {
        Self::json(StatusCode::OK, value)
    }
    pub fn created(value: &impl Serialize) -> Result<Self> {
        Self::json(StatusCode::CREATED, value)
    }
    pub fn accepted(value: &impl Serialize) -> Result<Self> {
        Self::json(StatusCode::ACCEPTED, value)
    }
    pub fn no_content() -> Result<Self> {
        Ok(Self {
            status: StatusCode::NO_CONTENT,
            body: None,
            next: None,
        })
    }

    /// A reply kept from before (an idempotent repeat).
    pub fn raw(status: StatusCode, body: Option<String>) -> Self {
        Self {
            status,
            body: body.filter(|b| !b.is_empty()),
            next: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }

    pub fn into_response(self) -> Response<Body> {
        let mut builder = Response::builder()
            .status(self.status)
            .header("cache-control", "no-store");
        if let Some(next) = &self.next {
            builder = builder.header("link", format!("<{next}>; rel=\"next\""));
        }
        let response = match self.body {
            Some(body) => builder
                .header("content-type", "application/json")
                .body(Body::from(body)),
            None => builder.body(Body::Empty),
        };
        response.unwrap_or_else(|_| Response::new(Body::Empty))
    }
}
