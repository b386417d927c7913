//! The support desk (TCCU): an officer identifies a caller by their URN, or finds a business
//! by its identifier, to help someone who called. Every look-up is in the agency audit, found
//! or not, written before anything is shown.

use serde::Serialize;

use crate::clock::{self, Fresh};
use crate::domain::agency_audit::{AgencyAction, AgencyAuditEvent};
use crate::domain::business::{BusinessAccount, BusinessStatus, LegalName, Role};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::member::Membership;
use crate::domain::onboarding::{
    IdentifierSecret, Letter, LetterStatus, Registration, SecretPurpose, SecretStatus,
};
use crate::domain::plan::{Change, Plan};
use crate::domain::rules::access::BusinessPartition;
use crate::domain::user::{UrnEntry, User};
use crate::domain::{
    BusinessId, Changed, CredentialId, Email, Idp, Language, LetterId, PersonName, Program,
    Refusal, Urn,
};

/// The agency audit's record of a look-up, written before the answer.
pub fn looked_up(
    officer: &CredentialId,
    action: AgencyAction,
    concerned: String,
    fresh: &mut Fresh,
) -> Plan {
    let event = AgencyAuditEvent::new(officer, action, vec![concerned], fresh);
    Plan::new(Changed::UserAccount).and(Change::AgencyAudit(event))
}

/// A user account as the support desk sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserCard {
    pub urn: Urn,
    pub name: PersonName,
    pub email: Email,
    pub language: Language,
    pub credential_kind: Idp,
    pub created_at: String,
    /// The start (UTC) of the last day the account made a request: activity is recorded
    /// once a day (dormancy); null while none is recorded.
    pub last_active_at: Option<String>,
    /// `active`, or `retired` after two years without a request (an officer reinstates it).
    pub status: &'static str,
    pub businesses: Vec<UserBusiness>,
}

/// One business a user account belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserBusiness {
    pub business_id: BusinessId,
    pub program: Program,
    pub business_identifier: String,
    pub legal_name: LegalName,
    pub status: BusinessStatus,
    pub role: Role,
}

/// `GET /agency/users/{urn}`: who the URN index says `urn` is (`entry`), the account under
/// that credential and its memberships, and each membership's business as read (in the same
/// order). Businesses closed or gone are left out.
pub fn user_card(
    urn: &Urn,
    entry: Option<&UrnEntry>,
    user: Option<&User>,
    memberships: &[Membership],
    businesses: &[Option<BusinessAccount>],
) -> Result<UserCard, Refusal> {
    let user = user
        .filter(|u| entry.is_some_and(|e| e.urn == u.urn) && &u.urn == urn)
        .ok_or(Refusal::NoUserWithUrn)?;
    let businesses = memberships
        .iter()
        .zip(businesses)
        .filter(|(m, _)| m.urn == user.urn)
        .filter_map(|(m, b)| {
            let b = &b.as_ref()?.business;
            (b.status != BusinessStatus::Closed && b.business_id == m.business_id).then(|| {
                UserBusiness {
                    business_id: b.business_id.clone(),
                    program: b.program,
                    business_identifier: b.identifier.as_str().to_owned(),
                    legal_name: b.legal_name.clone(),
                    status: b.status,
                    role: m.role,
                }
            })
        })
        .collect();
    Ok(UserCard {
        urn: user.urn.clone(),
        name: user.name.clone(),
        email: user.email.clone(),
        language: user.language,
        credential_kind: user.credential.idp(),
        created_at: user.created_at.clone(),
        last_active_at: user
            .active_day
            .map(|day| crate::clock::at(day * 86_400).rfc3339),
        status: if user.retired_at.is_some() {
            "retired"
        } else {
            "active"
        },
        businesses,
    })
}

/// A business as the support desk sees it: what the agency has for an identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BusinessCard {
    pub program: Program,
    pub business_identifier: String,
    pub business_number: Option<String>,
    /// The business account's status, `issued` while a code waits (no account yet), or `none`.
    pub status: &'static str,
    pub business_id: Option<BusinessId>,
    pub legal_name: Option<LegalName>,
    pub owner: Option<OwnerCard>,
    pub members: usize,
    pub secret: Option<PendingSecret>,
    pub letter: Option<LetterCard>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerCard {
    pub urn: Urn,
    pub name: PersonName,
}

/// A code that waits to be used (never the code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingSecret {
    pub purpose: SecretPurpose,
    pub expires_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterCard {
    pub letter_id: LetterId,
    pub status: LetterStatus,
}

/// What `GET /agency/businesses` read: the identifier's secret item, the TTP registration
/// (when looked up by Business Number), the business partition the secret names, and the
/// letter of its newest code.
pub struct BusinessFound<'a> {
    pub program: Program,
    pub identifier: &'a BusinessIdentifier,
    pub secret: Option<&'a IdentifierSecret>,
    pub registration: Option<&'a Registration>,
    pub partition: Option<&'a BusinessPartition>,
    pub letter: Option<&'a Letter>,
}

/// `GET /agency/businesses`: 404 where the agency has nothing for the identifier (no secret
/// issued, only strangers' wrong tries).
pub fn business_card(found: &BusinessFound<'_>, now: i64) -> Result<BusinessCard, Refusal> {
    let secret = found
        .secret
        .filter(|s| !s.phantom)
        .ok_or(Refusal::NoSuchBusiness)?;
    let business = found
        .partition
        .and_then(|p| p.business.as_ref())
        .filter(|b| {
            b.business.status != BusinessStatus::Closed
                && secret.business_id.as_ref() == Some(&b.business.business_id)
        });
    let members = found
        .partition
        .filter(|_| business.is_some())
        .map_or(&[][..], |p| p.members.as_slice());
    let pending = secret
        .issue
        .as_ref()
        .filter(|i| secret.secret_status == Some(SecretStatus::Issued) && i.expires_at > now)
        .map(|i| PendingSecret {
            purpose: secret.purpose,
            expires_at: clock::at(i.expires_at).rfc3339,
        });
    let letter = found
        .letter
        .filter(|l| Some(&l.letter_id) == secret.letter_id.as_ref());
    let letter_waits =
        letter.is_some_and(|l| matches!(l.status, LetterStatus::Review | LetterStatus::Pending));
    let status = match business {
        Some(b) => match b.business.status {
            BusinessStatus::Activated => "activated",
            BusinessStatus::Authorized => "authorized",
            BusinessStatus::Closed => "none",
        },
        None if pending.is_some() || letter_waits => "issued",
        None => "none",
    };
    let owner = business.and_then(|b| {
        members
            .iter()
            .find(|m| m.urn == b.business.owner_urn)
            .map(|m| OwnerCard {
                urn: m.urn.clone(),
                name: m.name.clone(),
            })
    });
    let business_number = found
        .registration
        .map(|r| r.business_number.clone())
        .or_else(|| {
            letter
                .and_then(|l| l.registration.as_ref())
                .map(|r| r.business_number.as_str().to_owned())
        });
    let legal_name = business
        .map(|b| b.business.legal_name.clone())
        .or_else(|| secret.issue.as_ref().map(|i| i.legal_name.clone()))
        .or_else(|| letter.map(|l| l.legal_name.clone()));
    Ok(BusinessCard {
        program: found.program,
        business_identifier: found.identifier.as_str().to_owned(),
        business_number,
        status,
        business_id: business.map(|b| b.business.business_id.clone()),
        legal_name,
        owner,
        members: members.len(),
        secret: pending,
        letter: letter.map(|l| LetterCard {
            letter_id: l.letter_id.clone(),
            status: l.status,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::{account, business, member, person, urn};
    use super::*;
    use crate::domain::business::BusinessStatus::{Activated, Authorized, Closed};
    use crate::domain::onboarding::{SecretIssue, SecretPurpose};
    use Role::{Owner, Proxy};

    const NOW: i64 = 1_795_000_000;

    fn membership(status: BusinessStatus, role: Role) -> (Membership, Option<BusinessAccount>) {
        let b = business(status);
        (Membership::of(&member(2, role), &b), Some(b))
    }

    #[test]
    fn user_card_table() {
        let me = account(2);
        let entry = person(2);
        let someone_else = person(3);
        // (name, URN index entry, account found, memberships with their businesses,
        //  expected: the businesses' (status, role), or the refusal)
        let cases = vec![
            ("no business", Some(&entry), Some(&me), vec![], Ok(vec![])),
            (
                "an authorized business, as proxy",
                Some(&entry),
                Some(&me),
                vec![membership(Authorized, Proxy)],
                Ok(vec![(Authorized, Proxy)]),
            ),
            (
                "closed and gone businesses are left out",
                Some(&entry),
                Some(&me),
                vec![
                    membership(Closed, Owner),
                    (membership(Activated, Owner).0, None),
                    membership(Activated, Owner),
                ],
                Ok(vec![(Activated, Owner)]),
            ),
            (
                "unknown URN",
                None,
                None,
                vec![],
                Err(Refusal::NoUserWithUrn),
            ),
            (
                "the index names an account that is another URN's now",
                Some(&someone_else),
                Some(&me),
                vec![],
                Err(Refusal::NoUserWithUrn),
            ),
            (
                "the account moved away",
                Some(&entry),
                None,
                vec![],
                Err(Refusal::NoUserWithUrn),
            ),
        ];
        for (name, entry, user, read, expected) in cases {
            let (memberships, businesses): (Vec<_>, Vec<_>) = read.into_iter().unzip();
            let got = user_card(&urn(2), entry, user, &memberships, &businesses).map(|card| {
                assert_eq!(card.email, me.email, "{name}");
                assert_eq!(card.credential_kind, Idp::GcKey, "{name}");
                assert_eq!(card.last_active_at, None, "{name}");
                for b in &card.businesses {
                    assert_eq!(b.business_identifier, "8ABC", "{name}");
                }
                card.businesses
                    .iter()
                    .map(|b| (b.status, b.role))
                    .collect::<Vec<_>>()
            });
            assert_eq!(got, expected, "{name}");
        }
    }

    fn secret(business_id: bool, status: SecretStatus, expires_at: i64) -> IdentifierSecret {
        let b = business(Authorized).business;
        IdentifierSecret {
            program: Program::Emanifest,
            identifier: b.identifier.clone(),
            version: 3,
            phantom: false,
            failures: 0,
            issue: Some(SecretIssue {
                program: Program::Emanifest,
                identifier: b.identifier.clone(),
                legal_name: b.legal_name.clone(),
                mailing_address: business(Authorized).mailing_address,
                email: None,
                language: Language::En,
                secret_hash: "hash".into(),
                issued_at: "2026-11-01T00:00:00Z".into(),
                expires_at,
            }),
            secret_status: Some(status),
            business_id: business_id.then(|| b.business_id.clone()),
            issue_no: 1,
            letter_id: None,
            earlier: Vec::new(),
            renewed_at: None,
            reported_day: None,
            purpose: if business_id && status == SecretStatus::Issued {
                SecretPurpose::Recovery
            } else {
                SecretPurpose::Activation
            },
        }
    }

    #[test]
    fn business_card_table() {
        use SecretStatus::{Issued, Used};
        let partition = |status| BusinessPartition {
            business: Some(business(status)),
            members: vec![member(1, Owner), member(2, Proxy)],
            transfer: None,
        };
        let phantom = IdentifierSecret {
            phantom: true,
            issue: None,
            secret_status: None,
            ..secret(false, Issued, NOW + 60)
        };
        // (name, secret item, business partition read,
        //  expected: (status, members, owner known, a code pending, its purpose) or refusal)
        #[rustfmt::skip]
        let cases = vec![
            ("nothing known", None, None, Err(Refusal::NoSuchBusiness)),
            ("only strangers' wrong tries", Some(phantom), None, Err(Refusal::NoSuchBusiness)),
            ("a code waits", Some(secret(false, Issued, NOW + 60)), None,
                Ok(("issued", 0, false, Some(SecretPurpose::Activation)))),
            ("the code expired", Some(secret(false, Issued, NOW)), None, Ok(("none", 0, false, None))),
            ("active", Some(secret(true, Used, NOW + 60)), Some(partition(Authorized)),
                Ok(("authorized", 2, true, None))),
            ("active, a recovery secret waits", Some(secret(true, Issued, NOW + 60)), Some(partition(Activated)),
                Ok(("activated", 2, true, Some(SecretPurpose::Recovery)))),
            ("closed meanwhile", Some(secret(true, Used, NOW + 60)), Some(partition(Closed)),
                Ok(("none", 0, false, None))),
        ];
        let identifier = business(Authorized).business.identifier;
        for (name, secret, partition, expected) in cases {
            let found = BusinessFound {
                program: Program::Emanifest,
                identifier: &identifier,
                secret: secret.as_ref(),
                registration: None,
                partition: partition.as_ref(),
                letter: None,
            };
            let got = business_card(&found, NOW).map(|card| {
                if let Some(owner) = &card.owner {
                    assert_eq!(owner.urn, urn(1), "{name}");
                }
                (
                    card.status,
                    card.members,
                    card.owner.is_some(),
                    card.secret.map(|s| s.purpose),
                )
            });
            assert_eq!(got, expected, "{name}");
        }
    }
}
