//! User accounts' requests.

use lambda_http::Request;

use crate::domain::code::{self, EMAIL_CODE_DIGITS, TRANSFER_CODE_CHARS};
use crate::domain::commands::{CredentialTransferClaim, EmailConfirmation, NewUser, UserPatch};
use crate::domain::{Email, Language, PersonName, PhoneNumber};
use crate::error::{Error, Result};
use crate::http::Fields;

/// `POST /users`.
impl TryFrom<&Request> for NewUser {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let name = f.required("name", PersonName::parse);
        let email = f.required("email", Email::parse);
        let phone = f.required("phone", PhoneNumber::parse);
        let language = f.required("language", Language::parse);
        let terms_version = f.required("terms_version", |s| Ok::<_, &str>(s.to_owned()));
        f.finish()?;
        Ok(NewUser {
            name: name?,
            email: email?,
            phone: phone?,
            language: language?,
            terms_version: terms_version?,
        })
    }
}

/// `PATCH /users/me`.
impl TryFrom<&Request> for UserPatch {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let patch = UserPatch {
            name: f.optional("name", PersonName::parse).unwrap_or_default(),
            email: f.optional("email", Email::parse).unwrap_or_default(),
            phone: f.optional("phone", PhoneNumber::parse).unwrap_or_default(),
            language: f.optional("language", Language::parse).unwrap_or_default(),
        };
        f.finish()?;
        if patch.is_empty() {
            return Err(Error::invalid(
                "name",
                "give at least one of name, email, phone, language",
            ));
        }
        Ok(patch)
    }
}

/// `POST /credential-transfers/claim`.
impl TryFrom<&Request> for CredentialTransferClaim {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let code = f.required("transfer_code", |s| {
            code::normalize(s, TRANSFER_CODE_CHARS)
                .ok_or("must be the 10-character code, e.g. ABCD-EFGH-JK")
        });
        f.finish()?;
        Ok(CredentialTransferClaim {
            transfer_code: code?,
        })
    }
}

/// `POST /users/me/email-confirmation`.
impl TryFrom<&Request> for EmailConfirmation {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let code = f.required("code", |s| {
            code::digits(s, EMAIL_CODE_DIGITS)
                .ok_or("must be the 6-digit code sent to the new address")
        });
        f.finish()?;
        Ok(EmailConfirmation { code: code? })
    }
}
