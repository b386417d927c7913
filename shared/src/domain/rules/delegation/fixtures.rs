//! What the delegation rules' tests share: our business ("8ABC") and the other ("8XYZ", an
//! eManifest carrier), a fixed now, and delegations between the two.

use crate::clock::Fresh;
use crate::domain::business::BusinessStatus::Authorized;
use crate::domain::business::{BusinessAccount, LegalName, Role};
use crate::domain::delegation::{
    Day, DelegatedPermissions, Delegation, DelegationStatus, DelegationTerms, OpenDelegation,
    Party, Side,
};
use crate::domain::identifier::BusinessIdentifier;
use crate::domain::rules::access::tests::{access, business, BUSINESS_ID};
use crate::domain::rules::access::Access;
use crate::domain::{BusinessId, Program};
use Role::Owner;

use super::open;

/// 2026-11-18T…Z
pub(super) const NOW: i64 = 1_795_000_000;
pub(super) const OTHER_ID: &str = "01jdbusiness0000000000000b";

pub(super) fn fresh() -> Fresh {
    Fresh::fixed(NOW)
}

pub(super) fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

pub(super) fn terms(ends_on: &str) -> DelegationTerms {
    DelegationTerms {
        permissions: DelegatedPermissions::ViewSubmit,
        ends_on: day(ends_on),
        note: None,
    }
}

/// The other business: eManifest carrier "8XYZ".
pub(super) fn other_business() -> BusinessAccount {
    let mut b = business(Authorized);
    b.business.business_id = BusinessId::parse(OTHER_ID).unwrap();
    b.business.identifier = BusinessIdentifier::parse(Program::Emanifest, "8XYZ").unwrap();
    b.business.legal_name = LegalName::parse("Border Brokers Inc.").unwrap();
    b
}

/// Member `n` of the other business, with `role`.
pub(super) fn other_access(n: u64, role: Role) -> Access {
    let mut a = access(n, role, Authorized);
    a.business = other_business();
    a.membership.business_id = a.business.business.business_id.clone();
    a
}

pub(super) fn command(identifier: &str, ends_on: &str) -> OpenDelegation {
    OpenDelegation {
        business_id: BusinessId::parse(BUSINESS_ID).unwrap(),
        other_program: Program::Emanifest,
        other_identifier: BusinessIdentifier::parse(Program::Emanifest, identifier).unwrap(),
        terms: terms(ends_on),
    }
}

/// Our business (`BUSINESS_ID`, "8ABC") offered a delegation to "8XYZ" (whose account the
/// grant found).
pub(super) fn offered() -> Delegation {
    let (_, d) = open(
        &access(1, Owner, Authorized),
        &command("8XYZ", "2027-06-30"),
        Side::Grantor,
        Some(BusinessId::parse(OTHER_ID).unwrap()),
        &mut fresh(),
    )
    .unwrap();
    d
}

pub(super) fn with_status(status: DelegationStatus) -> Delegation {
    Delegation {
        status,
        ..offered()
    }
}

pub(super) fn active_with_both_known() -> Delegation {
    let mut d = with_status(DelegationStatus::Active);
    d.grantee = Party::of(&other_business());
    d
}

pub(super) fn owner(n: u64) -> super::Owner {
    super::Owner {
        contact: crate::domain::rules::access::tests::person(n).contact(),
        legal_name: LegalName::parse(&format!("Business {n}")).unwrap(),
    }
}
