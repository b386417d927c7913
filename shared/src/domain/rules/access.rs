//! Who may act on a business account: members of a business that is not closed, each as far as
//! their role allows (the contract's permission table, `Role::allows`).

use serde_json::json;

use crate::clock::Fresh;
use crate::domain::audit::AuditEvent;
use crate::domain::business::{BusinessAccount, BusinessStatus, Permission, Role};
use crate::domain::member::{Member, Membership, OwnershipTransfer};
use crate::domain::plan::{Change, Plan};
use crate::domain::user::User;
use crate::domain::{BusinessId, CredentialId, PersonName, Refusal, Urn};

/// The caller's place in a business: their membership and the business, read together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub caller: CredentialId,
    /// The caller's name, as their account has it: audit events keep it.
    pub caller_name: PersonName,
    pub membership: Membership,
    pub business: BusinessAccount,
}

/// Who an audit event says acted: their URN, their name as their account has it now, and the
/// credential they acted with.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub urn: &'a Urn,
    pub name: &'a PersonName,
    pub credential: &'a CredentialId,
}

/// A business partition as read in one Query: the business, its members, its pending transfer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessPartition {
    pub business: Option<BusinessAccount>,
    pub members: Vec<Member>,
    pub transfer: Option<OwnershipTransfer>,
}

impl Access {
    /// 404 unless the caller is a member of a business that is not closed: a non-member
    /// learns nothing, not even that the id exists. A membership counts only under the
    /// credential its account (`account`, the caller's user) lives under now: one left under an
    /// old credential by a credential transfer still being moved gives that credential nothing.
    pub fn of(
        caller: &CredentialId,
        account: Option<&User>,
        membership: Option<Membership>,
        business: Option<BusinessAccount>,
    ) -> Result<Self, Refusal> {
        match (account, membership, business) {
            (Some(account), Some(membership), Some(business))
                if business.business.status != BusinessStatus::Closed
                    && account.urn == membership.urn =>
            {
                Ok(Self {
                    caller: caller.clone(),
                    caller_name: account.name.clone(),
                    membership,
                    business,
                })
            }
            _ => Err(Refusal::NoSuchBusiness),
        }
    }

    /// The same, from the business's own partition: the caller is found among the members by
    /// their account's URN (a member's recorded credential may still be the old one while a
    /// credential transfer's follow-up moves it).
    pub fn among(
        caller: &CredentialId,
        account: Option<&User>,
        partition: &BusinessPartition,
    ) -> Result<Self, Refusal> {
        let business = partition.business.clone();
        let me = account.and_then(|a| partition.members.iter().find(|m| m.urn == a.urn));
        let membership = match (me, &business) {
            (Some(me), Some(business)) => Some(Membership {
                credential: caller.clone(),
                ..Membership::of(me, business)
            }),
            _ => None,
        };
        Self::of(caller, account, membership, business)
    }

    pub fn role(&self) -> Role {
        self.membership.role
    }

    pub fn business_id(&self) -> &BusinessId {
        &self.business.business.business_id
    }

    /// 403 unless the caller's role allows `permission` (they are a member: 403 is no leak).
    pub fn require(&self, permission: Permission) -> Result<(), Refusal> {
        if self.role().allows(permission) {
            Ok(())
        } else {
            Err(Refusal::RoleDoesNotAllow)
        }
    }

    /// `refusal` unless the business is authorized (the program's terms accepted).
    pub fn require_authorized(&self, refusal: Refusal) -> Result<(), Refusal> {
        if self.business.business.status == BusinessStatus::Authorized {
            Ok(())
        } else {
            Err(refusal)
        }
    }

    /// The business as `change` leaves it, its time and version moved on.
    pub fn next_business(
        &self,
        fresh: &Fresh,
        change: impl FnOnce(&mut BusinessAccount),
    ) -> BusinessAccount {
        let mut after = self.business.clone();
        change(&mut after);
        after.business.updated_at = fresh.now.rfc3339.clone();
        after.business.version += 1;
        after
    }

    /// The caller as an audit event names them.
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            urn: &self.membership.urn,
            name: &self.caller_name,
            credential: &self.caller,
        }
    }

    /// The audit event of a change the caller makes.
    pub fn audit(
        &self,
        action: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
        fresh: &mut Fresh,
    ) -> AuditEvent {
        audit_event(
            self.business_id(),
            self.actor(),
            action,
            before,
            after,
            fresh,
        )
    }

    /// The business moved on to `after`, with the audit event of the change (before, after).
    pub fn change_business(
        &self,
        plan: &mut Plan,
        action: &str,
        after: BusinessAccount,
        fresh: &mut Fresh,
    ) {
        let audit = self.audit(
            action,
            Some(business_json(&self.business)),
            Some(business_json(&after)),
            fresh,
        );
        plan.add(Change::BusinessChanged { after });
        plan.add(Change::Audit(audit));
    }
}

/// An audit event by the member `by`, named as they are now.
pub fn audit_event(
    business_id: &BusinessId,
    by: Actor<'_>,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    fresh: &mut Fresh,
) -> AuditEvent {
    AuditEvent {
        business_id: business_id.clone(),
        event_id: fresh.id(),
        stamp: fresh.now.sortable.clone(),
        action: action.to_owned(),
        actor_urn: by.urn.clone(),
        actor_idp: by.credential.idp(),
        actor_sub: by.credential.sub().to_owned(),
        actor_name: Some(by.name.clone()),
        subject_urn: None,
        subject_name: None,
        at: fresh.now.rfc3339.clone(),
        before,
        after,
    }
}

/// What the audit trail keeps of a business: its fields.
/// `user` as the new Account Owner of `business_id` (an activation, or an owner recovery that
/// adds someone who was not a member), from `since`.
pub fn new_owner(
    business_id: &crate::domain::BusinessId,
    user: &crate::domain::user::User,
    since: &str,
) -> crate::domain::member::Member {
    crate::domain::member::Member {
        business_id: business_id.clone(),
        urn: user.urn.clone(),
        name: user.name.clone(),
        role: crate::domain::business::Role::Owner,
        since: since.to_owned(),
        credential: user.credential.clone(),
        version: 1,
    }
}

pub fn business_json(account: &BusinessAccount) -> serde_json::Value {
    let mut value = serde_json::to_value(&account.business).unwrap_or_default();
    value["mailing_address"] = json!(account.mailing_address);
    value
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::business::{
        Business, LegalName, MailingAddress, OwnerContact, PositionTitle,
    };
    use crate::domain::identifier::BusinessIdentifier;
    use crate::domain::user::UrnEntry;
    use crate::domain::{
        Email, Idp, Language, PersonName, PhoneNumber, Program, Urn, PORTAL_TERMS_VERSION,
    };

    pub const BUSINESS_ID: &str = "01jdbusiness0000000000000a";

    pub fn credential(sub: &str) -> CredentialId {
        CredentialId::new(Idp::GcKey, sub).unwrap()
    }

    pub fn urn(n: u64) -> Urn {
        Urn::from_random(n)
    }

    pub fn business(status: BusinessStatus) -> BusinessAccount {
        BusinessAccount {
            business: Business {
                business_id: BusinessId::parse(BUSINESS_ID).unwrap(),
                program: Program::Emanifest,
                identifier: BusinessIdentifier::parse(Program::Emanifest, "8ABC").unwrap(),
                legal_name: LegalName::parse("Northern Freight Ltd.").unwrap(),
                status,
                owner_urn: urn(1),
                owner_contact: OwnerContact {
                    position_title: PositionTitle::parse("Director").unwrap(),
                    address: MailingAddress::parse("1 Main St\nOttawa ON").unwrap(),
                    phone: PhoneNumber::parse("+1 613 555 0100").unwrap(),
                    email: Email::parse("owner@example.com").unwrap(),
                },
                terms_version: None,
                created_at: "2026-11-01T00:00:00Z".into(),
                updated_at: "2026-11-01T00:00:00Z".into(),
                version: 3,
            },
            mailing_address: MailingAddress::parse("1 Main St\nOttawa ON").unwrap(),
            information_sharing: None,
        }
    }

    /// A member `n` (URN from `n`, credential `user-n`) with `role`.
    pub fn member(n: u64, role: Role) -> Member {
        Member {
            business_id: BusinessId::parse(BUSINESS_ID).unwrap(),
            urn: urn(n),
            name: PersonName::parse(&format!("Person {n}")).unwrap(),
            role,
            since: "2026-11-01T00:00:00Z".into(),
            credential: credential(&format!("user-{n}")),
            version: 2,
        }
    }

    /// The user account behind URN `n` (credential `user-n`), as the URN index has it.
    pub fn person(n: u64) -> UrnEntry {
        UrnEntry {
            urn: urn(n),
            credential: credential(&format!("user-{n}")),
            name: PersonName::parse(&format!("Person {n}")).unwrap(),
            email: Email::parse(&format!("person-{n}@example.com")).unwrap(),
            language: if n.is_multiple_of(2) {
                Language::Fr
            } else {
                Language::En
            },
            retired: false,
        }
    }

    /// The user account of member `n`, as their URN entry says.
    pub fn account(n: u64) -> User {
        let p = person(n);
        User {
            credential: p.credential,
            urn: p.urn,
            name: p.name,
            email: p.email,
            phone: PhoneNumber::parse("+1 613 555 0100").unwrap(),
            language: p.language,
            terms_version: PORTAL_TERMS_VERSION.into(),
            created_at: "2026-11-01T00:00:00Z".into(),
            updated_at: "2026-11-01T00:00:00Z".into(),
            version: 1,
            transfer_code_hash: None,
            moving_from: None,
            pending_email: None,
            active_day: None,
            retired_at: None,
            undeliverable: None,
        }
    }

    /// Access of member `n` with `role` to a business in `status`.
    pub fn access(n: u64, role: Role, status: BusinessStatus) -> Access {
        let business = business(status);
        let membership = Membership::of(&member(n, role), &business);
        Access::of(
            &credential(&format!("user-{n}")),
            Some(&account(n)),
            Some(membership),
            Some(business),
        )
        .unwrap()
    }

    #[test]
    fn only_members_of_an_open_business_get_in() {
        let me = credential("user-2");
        let mine = |status| Some(Membership::of(&member(2, Role::User), &business(status)));
        let cases = [
            (
                mine(BusinessStatus::Activated),
                Some(business(BusinessStatus::Activated)),
                true,
            ),
            (
                mine(BusinessStatus::Authorized),
                Some(business(BusinessStatus::Authorized)),
                true,
            ),
            (
                mine(BusinessStatus::Closed),
                Some(business(BusinessStatus::Closed)),
                false,
            ),
            (None, Some(business(BusinessStatus::Authorized)), false),
            (mine(BusinessStatus::Authorized), None, false),
            (None, None, false),
        ];
        for (i, (membership, business, allowed)) in cases.into_iter().enumerate() {
            let got = Access::of(&me, Some(&account(2)), membership, business);
            assert_eq!(got.is_ok(), allowed, "case {i}");
            if !allowed {
                assert_eq!(got.unwrap_err(), Refusal::NoSuchBusiness, "case {i}");
            }
        }
    }

    /// A membership left under a credential whose account moved away (a credential transfer
    /// still being finished) gives that credential nothing.
    #[test]
    fn a_membership_counts_only_under_the_account_that_has_it() {
        let me = credential("user-2");
        let open = || Some(business(BusinessStatus::Authorized));
        let mine = || {
            Some(Membership::of(
                &member(2, Role::Proxy),
                &business(BusinessStatus::Authorized),
            ))
        };
        let cases = [
            (Some(account(2)), true),
            (None, false),             // the account moved to another credential
            (Some(account(3)), false), // this credential holds another account now
        ];
        for (i, (account, allowed)) in cases.into_iter().enumerate() {
            let got = Access::of(&me, account.as_ref(), mine(), open());
            assert_eq!(got.is_ok(), allowed, "case {i}");
        }
    }

    #[test]
    fn the_caller_is_found_among_the_members_by_their_accounts_urn() {
        let partition = BusinessPartition {
            business: Some(business(BusinessStatus::Authorized)),
            members: vec![member(1, Role::Owner), member(2, Role::Proxy)],
            transfer: None,
        };
        // A member whose recorded credential is still the old one is found by URN.
        let cases = [
            (Some(account(1)), Ok(Role::Owner)),
            (Some(account(2)), Ok(Role::Proxy)),
            (Some(account(3)), Err(Refusal::NoSuchBusiness)),
            (None, Err(Refusal::NoSuchBusiness)),
        ];
        for (i, (account, expected)) in cases.into_iter().enumerate() {
            let got = Access::among(&credential("new-sign-in"), account.as_ref(), &partition)
                .map(|a| a.role());
            assert_eq!(got, expected, "case {i}");
        }
    }

    #[test]
    fn require_follows_the_permission_table() {
        let cases = [
            (Role::Owner, Permission::BusinessManage, true),
            (Role::Proxy, Permission::BusinessManage, false),
            (Role::Proxy, Permission::MembersList, true),
            (Role::User, Permission::MembersList, false),
            (Role::Browser, Permission::AuditRead, false),
        ];
        for (role, permission, allowed) in cases {
            let got = access(2, role, BusinessStatus::Authorized).require(permission);
            let expected = if allowed {
                Ok(())
            } else {
                Err(Refusal::RoleDoesNotAllow)
            };
            assert_eq!(got, expected, "{role:?} {permission:?}");
        }
    }
}
