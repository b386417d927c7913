//! Business accounts' requests.

use lambda_http::Request;

use super::program_and_identifier;
use crate::domain::business::{MailingAddress, OwnerContact, PositionTitle};
use crate::domain::commands::{Activation, BusinessPatch, TermsAcceptance};
use crate::domain::shared_secret::SharedSecret;
use crate::domain::{BusinessId, Email, PhoneNumber};
use crate::error::{Error, Result};
use crate::http::{if_match, path_param, Fields};

/// The business a route's `{id}` names: anything not shaped like an id cannot exist (404).
impl TryFrom<&Request> for BusinessId {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        path_param(request, "id")
            .and_then(|id| BusinessId::parse(&id).ok())
            .ok_or(Error::NotFound("No such business account."))
    }
}

fn owner_contact(f: &mut Fields) -> Result<OwnerContact> {
    let position_title = f.required("position_title", PositionTitle::parse);
    let address = f.required("address", MailingAddress::parse);
    let phone = f.required("phone", PhoneNumber::parse);
    let email = f.required("email", Email::parse);
    Ok(OwnerContact {
        position_title: position_title?,
        address: address?,
        phone: phone?,
        email: email?,
    })
}

/// `POST /businesses`.
impl TryFrom<&Request> for Activation {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let mut f = Fields::from_body(request.body())?;
        let ids = program_and_identifier(&mut f, "business_identifier");
        let secret = f.required("shared_secret", SharedSecret::parse);
        let contact = f.object("owner_contact", owner_contact);
        f.finish()?;
        let (program, identifier) = ids?;
        Ok(Activation {
            program,
            identifier,
            secret: secret?,
            owner_contact: contact?,
        })
    }
}

/// `PATCH /businesses/{id}`, with `If-Match`.
impl TryFrom<&Request> for BusinessPatch {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let mut f = Fields::from_body(request.body())?;
        let mailing_address = f.optional("mailing_address", MailingAddress::parse);
        let contact = match f.has("owner_contact") {
            true => f.object("owner_contact", |c| {
                let position_title = c.optional("position_title", PositionTitle::parse);
                let address = c.optional("address", MailingAddress::parse);
                let phone = c.optional("phone", PhoneNumber::parse);
                let email = c.optional("email", Email::parse);
                Ok((position_title?, address?, phone?, email?))
            }),
            false => Ok((None, None, None, None)),
        };
        f.finish()?;
        let (position_title, address, phone, email) = contact?;
        let mailing_address = mailing_address?;
        if mailing_address.is_none()
            && position_title.is_none()
            && address.is_none()
            && phone.is_none()
            && email.is_none()
        {
            return Err(Error::invalid(
                "mailing_address",
                "give mailing_address or owner_contact fields to change",
            ));
        }
        Ok(BusinessPatch {
            business_id,
            if_match: if_match(request)?,
            mailing_address,
            position_title,
            address,
            phone,
            email,
        })
    }
}

/// `POST /businesses/{id}/terms`.
impl TryFrom<&Request> for TermsAcceptance {
    type Error = Error;

    fn try_from(request: &Request) -> Result<Self> {
        let business_id = BusinessId::try_from(request)?;
        let mut f = Fields::from_body(request.body())?;
        let version = f.required("version", |s| Ok::<_, &str>(s.to_owned()));
        f.finish()?;
        Ok(TermsAcceptance {
            business_id,
            version: version?,
        })
    }
}
