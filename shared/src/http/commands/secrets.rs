//! Shared secrets' requests: issuing, registration, new codes, letters.

use lambda_http::Request;

use super::program_and_identifier;
use crate::domain::business::{LegalName, MailingAddress};
use crate::domain::commands::{ActivationCodeRequest, RegistrationOrder, SecretOrder};
use crate::domain::identifier::Bn9;
use crate::domain::programs::Delivery;
use crate::domain::{Email, Language, LetterId};
use crate::error::{Error, Result};
use crate::http::{path_param, Fields};

/// `POST /agency/shared-secrets`: `email` is required where the program delivers by e-mail.
impl TryFrom<&Request> for SecretOrder {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let ids = program_and_identifier(&mut f, "business_identifier");
        let legal_name = f.required("legal_name", LegalName::parse);
        let mailing_address = f.required("mailing_address", MailingAddress::parse);
        let by_email = matches!(&ids, Ok((p, _)) if p.rules().secret_delivery == Delivery::Email);
        let email = if by_email {
            f.required("email", Email::parse).map(Some)
        } else {
            f.optional("email", Email::parse)
        };
        let language = f.optional("language", Language::parse);
        f.finish()?;
        let (program, identifier) = ids?;
        Ok(SecretOrder {
            program,
            identifier,
            legal_name: legal_name?,
            mailing_address: mailing_address?,
            email: email?,
            language: language?.unwrap_or(Language::En),
        })
    }
}

/// `POST /registrations`.
impl TryFrom<&Request> for RegistrationOrder {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let program = f.required("program", |s| {
            if s == "ttp" {
                Ok(())
            } else {
                Err("registration is for ttp only")
            }
        });
        let business_number = f.required("business_number", Bn9::parse);
        let legal_name = f.required("legal_name", LegalName::parse);
        let mailing_address = f.required("mailing_address", MailingAddress::parse);
        f.finish()?;
        program?;
        Ok(RegistrationOrder {
            business_number: business_number?,
            legal_name: legal_name?,
            mailing_address: mailing_address?,
        })
    }
}

/// `POST /activation-code-requests`.
impl TryFrom<&Request> for ActivationCodeRequest {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let ids = program_and_identifier(&mut f, "business_identifier");
        f.finish()?;
        let (program, identifier) = ids?;
        Ok(ActivationCodeRequest {
            program,
            identifier,
        })
    }
}

/// The letter a route's `{letter_id}` names: anything not shaped like an id cannot exist (404).
impl TryFrom<&Request> for LetterId {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        path_param(request, "letter_id")
            .and_then(|id| LetterId::parse(&id).ok())
            .ok_or(Error::NotFound("No such letter."))
    }
}
