//! `POST /registrations`: a TTP applicant registers a Business Number under a drawn Client
//! Number; its secret goes by letter.

use super::{new_secret, DrawnSecret, Kept, LetterOf, OnFile};
use crate::clock::Fresh;
use crate::domain::commands::RegistrationOrder;
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::onboarding::{LetterRegistration, LetterStatus, RegisterEntry, Registration};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::User;
use crate::domain::{Changed, Program, Refusal};

/// `POST /registrations`: a TTP applicant registers a Business Number, once, under the drawn
/// Client Number; its secret goes by letter to the address in the agency's business register
/// (`on_register`), or, where the register has no entry, waits in review with the typed
/// address. Registered already (`registered`) writes nothing: the answer is the same either
/// way. A taken Client Number (`ClientNumberTaken`) is the use case's to draw again.
pub fn register(
    user: Option<&User>,
    registered: Option<&Registration>,
    on_register: Option<&RegisterEntry>,
    order: &RegistrationOrder,
    client_number: BusinessIdentifier,
    drawn: DrawnSecret,
    fresh: &mut Fresh,
) -> Result<Plan, Refusal> {
    let user = user.ok_or(Refusal::NoUserAccount)?;
    if registered.is_some() {
        return Ok(Plan::new(Changed::Registration));
    }
    let registration = Registration {
        business_number: order.business_number.as_str().to_owned(),
        client_number: client_number.clone(),
        registered_by: Some(user.urn.clone()),
        registered_at: fresh.now.rfc3339.clone(),
    };
    let (legal_name, mailing_address, status) = match on_register {
        Some(entry) => (
            entry.legal_name.clone(),
            entry.mailing_address.clone(),
            LetterStatus::Pending,
        ),
        None => (
            order.legal_name.clone(),
            order.mailing_address.clone(),
            LetterStatus::Review,
        ),
    };
    let on_file = OnFile {
        program: Program::Ttp,
        identifier: client_number,
        legal_name,
        mailing_address,
        email: None,
        language: user.language,
    };
    let letter = LetterOf {
        status,
        registration: Some(LetterRegistration {
            business_number: order.business_number.clone(),
            registered_by: user.urn.clone(),
        }),
    };
    // The Business Number first: registered meanwhile is the answer even if the draw was
    // taken too.
    let mut plan = Plan::new(Changed::Registration)
        .with(Change::Registered(registration), Refusal::AlreadyRegistered);
    new_secret(
        &mut plan,
        on_file,
        None,
        Kept::new_issue(None),
        None,
        Refusal::ClientNumberTaken,
        drawn,
        letter,
        fresh,
    );
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::*;
    use super::*;
    use crate::domain::identifier::Bn9;

    #[test]
    fn registration_table() {
        let order = RegistrationOrder {
            business_number: Bn9::parse("123456782").unwrap(),
            legal_name: LegalName::parse("Les Transports Boréal inc.").unwrap(),
            mailing_address: MailingAddress::parse("1 rue Attaquant\nGatineau QC").unwrap(),
        };
        let on_register = RegisterEntry {
            business_number: order.business_number.clone(),
            legal_name: LegalName::parse("Transports Boréal inc.").unwrap(),
            mailing_address: MailingAddress::parse("9 boul. du Registre\nGatineau QC").unwrap(),
            updated_at: "2026-11-01T00:00:00Z".into(),
            updated_by: "officer-1".into(),
        };
        let me = applicant();
        let earlier = Registration {
            business_number: "123456782".into(),
            client_number: BusinessIdentifier::client_number_from_random(7),
            registered_by: Some(me.urn.clone()),
            registered_at: "2026-11-01T00:00:00Z".into(),
        };
        // (name, caller, registered already, register entry,
        //  expected: Err, or None for no write, or the letter's status and address)
        let cases = [
            (
                "on the register: pending, to the register's address",
                Some(&me),
                None,
                Some(&on_register),
                Ok(Some((LetterStatus::Pending, "9 boul. du Registre"))),
            ),
            (
                "not on the register: in review, with the typed address",
                Some(&me),
                None,
                None,
                Ok(Some((LetterStatus::Review, "1 rue Attaquant"))),
            ),
            (
                "registered already: nothing written, same answer",
                Some(&me),
                Some(&earlier),
                Some(&on_register),
                Ok(None),
            ),
            (
                "registered already, not on the register",
                Some(&me),
                Some(&earlier),
                None,
                Ok(None),
            ),
            ("no account", None, None, None, Err(Refusal::NoUserAccount)),
        ];
        for (name, who, registered, entry, expected) in cases {
            let got = register(
                who,
                registered,
                entry,
                &order,
                identifier(Program::Ttp),
                drawn(),
                &mut Fresh::fixed(NOW),
            );
            let Ok(plan) = got else {
                assert_eq!(got.map(|_| None), expected, "{name}");
                continue;
            };
            let steps = plan.steps();
            let Some(letter) = steps.iter().find_map(|s| match &s.change {
                Change::LetterQueued(l) => Some(l),
                _ => None,
            }) else {
                assert!(plan.is_empty(), "{name}");
                assert_eq!(Ok(None), expected, "{name}");
                continue;
            };
            let address = letter.mailing_address.as_str().lines().next().unwrap();
            assert_eq!(Ok(Some((letter.status, address))), expected, "{name}");
            assert!(
                matches!(
                    &steps[0].change,
                    Change::Registered(r) if r.business_number == "123456782" && r.registered_by.as_ref() == Some(&me.urn) && r.client_number == identifier(Program::Ttp)
                ),
                "{name}"
            );
            assert!(
                matches!(
                    &steps[1].change,
                    Change::SecretIssued { secret, replacing: None } if secret.version == 1 && secret.identifier == identifier(Program::Ttp)
                ),
                "{name}"
            );
            // The letter carries the Client Number and the code, says whose registration it
            // is, and which secret it carries.
            assert_eq!(
                letter.business_identifier,
                identifier(Program::Ttp),
                "{name}"
            );
            assert_eq!(letter.sealed_secret.as_deref(), Some("sealed"), "{name}");
            assert_eq!(letter.secret_version, Some(1), "{name}");
            // In review, the code is held by the letter: no secret is live for the identifier.
            let in_review = letter.status == LetterStatus::Review;
            assert_eq!(letter.held_secret_hash.is_some(), in_review, "{name}");
            match &steps[1].change {
                Change::SecretIssued { secret, .. } => {
                    assert_eq!(secret.issue.is_none(), in_review, "{name}");
                    assert_eq!(secret.secret_status.is_none(), in_review, "{name}");
                }
                other => panic!("{name}: {other:?}"),
            }
            assert_eq!(letter.language, me.language, "{name}");
            let registration = letter.registration.as_ref().unwrap();
            assert_eq!(
                registration.business_number, order.business_number,
                "{name}"
            );
            assert_eq!(registration.registered_by, me.urn, "{name}");
            // Registered meanwhile wins over a taken draw, which is drawn again.
            let refusals: Vec<_> = steps.iter().map(|s| s.if_refused.clone()).collect();
            assert_eq!(
                refusals,
                [
                    Refusal::AlreadyRegistered,
                    Refusal::ClientNumberTaken,
                    Refusal::ChangedMeanwhile(Changed::Registration)
                ],
                "{name}"
            );
        }
    }
}
