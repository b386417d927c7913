//! Request bodies: at most 64 KiB of JSON, an object, read field by field with the domain's
//! parsers. Every bad field is reported at once (422); unknown fields are ignored, so a
//! `role`, `status` or `urn` slipped into a body is never applied (no mass assignment).

use std::fmt::Display;

use lambda_http::Body;
use serde_json::{Map, Value};

use crate::error::{Error, FieldError, Result};

pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub struct Fields {
    map: Map<String, Value>,
    prefix: String,
    errors: Vec<FieldError>,
}

impl Fields {
    pub fn from_body(body: &Body) -> Result<Self> {
        let bytes: &[u8] = match body {
            Body::Empty => b"",
            Body::Text(text) => text.as_bytes(),
            Body::Binary(bytes) => bytes,
            _ => b"",
        };
        if bytes.len() > MAX_BODY_BYTES {
            return Err(Error::PayloadTooLarge);
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| Error::Malformed("The body is not UTF-8 text."))?;
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(Self {
                map,
                prefix: String::new(),
                errors: Vec::new(),
            }),
            Ok(_) => Err(Error::Malformed("The body must be a JSON object.")),
            Err(_) => Err(Error::Malformed("The body is not valid JSON.")),
        }
    }

    fn path(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    fn refuse<T>(&mut self, name: &str, message: impl Display) -> Result<T> {
        let error = FieldError {
            field: self.path(name),
            message: message.to_string(),
        };
        self.errors.push(error.clone());
        Err(Error::Invalid(vec![error]))
    }

    /// A string field that must be present, parsed by `parse`.
    pub fn required<T, E: Display>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T> {
        match self.map.get(name) {
            None | Some(Value::Null) => self.refuse(name, "is required"),
            Some(Value::String(s)) => match parse(s) {
                Ok(v) => Ok(v),
                Err(e) => self.refuse(name, e),
            },
            Some(_) => self.refuse(name, "must be a string"),
        }
    }

    /// A string field that may be absent (or null): `Ok(None)` then.
    pub fn optional<T, E: Display>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.required(name, parse).map(Some),
        }
    }

    /// Whether the body has `name` (and it is not null).
    pub fn has(&self, name: &str) -> bool {
        !matches!(self.map.get(name), None | Some(Value::Null))
    }

    /// A boolean field that must be present.
    pub fn required_bool(&mut self, name: &str) -> Result<bool> {
        match self.map.get(name) {
            Some(Value::Bool(b)) => Ok(*b),
            None | Some(Value::Null) => self.refuse(name, "is required"),
            Some(_) => self.refuse(name, "must be true or false"),
        }
    }

    /// A whole number field that must be present, from `min` to `max`.
    pub fn required_count(&mut self, name: &str, min: u32, max: u32) -> Result<u32> {
        match self.map.get(name) {
            None | Some(Value::Null) => self.refuse(name, "is required"),
            Some(Value::Number(n)) => match n.as_u64().and_then(|v| u32::try_from(v).ok()) {
                Some(v) if (min..=max).contains(&v) => Ok(v),
                _ => self.refuse(name, "must be a whole number in the allowed range"),
            },
            Some(_) => self.refuse(name, "must be a whole number in the allowed range"),
        }
    }

    /// A nested object field, read with the same rules; its errors are named `outer.inner`.
    pub fn object<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(&mut Fields) -> Result<T>,
    ) -> Result<T> {
        let map = match self.map.get(name) {
            Some(Value::Object(map)) => map.clone(),
            None | Some(Value::Null) => return self.refuse(name, "is required"),
            Some(_) => return self.refuse(name, "must be an object"),
        };
        let mut inner = Fields {
            map,
            prefix: format!("{}.", self.path(name)),
            errors: Vec::new(),
        };
        let value = read(&mut inner);
        self.errors.append(&mut inner.errors);
        value
    }

    /// 422 naming every refused field, or the parsed values may be used.
    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Email, Language};

    fn fields(json: &str) -> Result<Fields> {
        Fields::from_body(&Body::Text(json.to_owned()))
    }

    #[test]
    fn body_shapes() {
        assert!(matches!(fields("not json"), Err(Error::Malformed(_))));
        assert!(matches!(fields("[1,2]"), Err(Error::Malformed(_))));
        assert!(matches!(fields("\"x\""), Err(Error::Malformed(_))));
        assert!(matches!(fields(""), Err(Error::Malformed(_))));
        assert!(matches!(
            Fields::from_body(&Body::Binary(vec![0xff, 0xfe])),
            Err(Error::Malformed(_))
        ));
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(fields(&deep), Err(Error::Malformed(_))));
        let big = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_BODY_BYTES));
        assert!(matches!(fields(&big), Err(Error::PayloadTooLarge)));
        assert!(fields("{}").is_ok());
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut f = fields(r#"{"email": 3, "language": "de", "contact": {"email": "x"}}"#).unwrap();
        let _ = f.required("email", Email::parse);
        let _ = f.required("language", Language::parse);
        let _ = f.required("name", Email::parse);
        let _ = f.object("contact", |c| c.required("email", Email::parse));
        let _ = f.required_bool("consent");
        let Err(Error::Invalid(errors)) = f.finish() else {
            panic!("expected 422")
        };
        let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            named,
            ["email", "language", "name", "contact.email", "consent"]
        );
    }
}
