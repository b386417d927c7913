//! Opening a delegation (the grantor offers, or the grantee asks) and the other side's owner
//! accepting it. The answer to opening is the same whether the other identifier has an
//! account or not.

use crate::clock::Fresh;
use crate::domain::delegation::{
    Day, Delegation, DelegationStatus, DelegationTerms, OpenDelegation, Party, Side,
};
use crate::domain::plan::Plan;
use crate::domain::{BusinessId, Refusal};

use super::super::access::Access;
use super::{awaiting, may_decide, moved_on, party_to, save, step, MAX_YEARS};

fn check_terms(terms: &DelegationTerms, today: Day) -> Result<(), Refusal> {
    if terms.ends_on <= today || terms.ends_on > today.plus_years(MAX_YEARS) {
        return Err(Refusal::DelegationEndOutOfRange);
    }
    Ok(())
}

/// `POST /businesses/{id}/delegations` (`from` = grantor: an offer) or
/// `…/delegation-requests` (`from` = grantee: a request). `other_account` is the live account
/// of the named identifier, if any (kept, never shown to the caller).
pub fn open(
    access: &Access,
    command: &OpenDelegation,
    from: Side,
    other_account: Option<BusinessId>,
    fresh: &mut Fresh,
) -> Result<(Plan, Delegation), Refusal> {
    may_decide(access)?;
    let today = Day::of(fresh.now.epoch);
    check_terms(&command.terms, today)?;
    let own = Party::of(&access.business);
    if own.program == command.other_program && own.identifier == command.other_identifier {
        return Err(Refusal::DelegationToItself);
    }
    let other = Party::named(
        command.other_program,
        command.other_identifier.clone(),
        other_account,
    );
    let (grantor, grantee, status, action) = match from {
        Side::Grantor => (own, other, DelegationStatus::Pending, "offered"),
        Side::Grantee => (other, own, DelegationStatus::Requested, "requested"),
    };
    let delegation = Delegation {
        delegation_id: fresh.delegation_id(),
        grantor,
        grantee,
        permissions: command.terms.permissions,
        ends_on: command.terms.ends_on,
        note: command.terms.note.clone(),
        status,
        history: vec![step(access, from, action, fresh)],
        created_at: fresh.now.rfc3339.clone(),
        version: 1,
        agents: Vec::new(),
        reminded: false,
    };
    let plan = save(
        access,
        None,
        delegation.clone(),
        &format!("delegation.{action}"),
        fresh,
    );
    Ok((plan, delegation))
}

/// `POST /businesses/{id}/delegations/{delegation_id}/accept`: the owner of the side it waits
/// for accepts the offer (grantee) or approves the request (grantor); it is active at once.
pub fn accept(
    access: &Access,
    read: Option<Delegation>,
    fresh: &mut Fresh,
) -> Result<(Plan, Delegation), Refusal> {
    let (d, side) = party_to(access, read)?;
    may_decide(access)?;
    let today = Day::of(fresh.now.epoch);
    let waits_for = awaiting(d.status_on(today)).ok_or(Refusal::DelegationClosed)?;
    if waits_for != side {
        return Err(Refusal::DelegationAwaitsTheOtherSide);
    }
    let action = match side {
        Side::Grantee => "accepted",
        Side::Grantor => "approved",
    };
    Ok(moved_on(
        &d,
        access,
        side,
        DelegationStatus::Active,
        action,
        fresh,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::end;
    use super::super::fixtures::*;
    use super::*;
    use crate::domain::business::BusinessStatus::{Activated, Authorized};
    use crate::domain::business::Role;
    use crate::domain::identifier::BusinessIdentifier;
    use crate::domain::plan::Change;
    use crate::domain::rules::access::tests::{access, BUSINESS_ID};
    use crate::domain::Program;
    use Role::{Browser, Owner, Proxy, User as Staff};

    #[test]
    fn who_may_open_and_what_end_day() {
        let cases = [
            (Owner, Authorized, "8XYZ", "2027-06-30", Ok(())),
            (Owner, Authorized, "8XYZ", "2026-11-19", Ok(())),
            (Owner, Authorized, "8XYZ", "2028-11-18", Ok(())),
            (
                Owner,
                Authorized,
                "8XYZ",
                "2028-11-19",
                Err(Refusal::DelegationEndOutOfRange),
            ),
            (
                Owner,
                Authorized,
                "8XYZ",
                "2026-11-18",
                Err(Refusal::DelegationEndOutOfRange),
            ),
            (
                Owner,
                Authorized,
                "8XYZ",
                "2025-01-01",
                Err(Refusal::DelegationEndOutOfRange),
            ),
            (
                Owner,
                Authorized,
                "8ABC",
                "2027-06-30",
                Err(Refusal::DelegationToItself),
            ),
            (
                Owner,
                Activated,
                "8XYZ",
                "2027-06-30",
                Err(Refusal::DelegationsWaitForTerms),
            ),
            (
                Proxy,
                Authorized,
                "8XYZ",
                "2027-06-30",
                Err(Refusal::RoleDoesNotAllow),
            ),
            (
                Staff,
                Authorized,
                "8XYZ",
                "2027-06-30",
                Err(Refusal::RoleDoesNotAllow),
            ),
            (
                Browser,
                Authorized,
                "8XYZ",
                "2027-06-30",
                Err(Refusal::RoleDoesNotAllow),
            ),
        ];
        for (role, status, identifier, ends_on, expected) in cases {
            for from in [Side::Grantor, Side::Grantee] {
                let got = open(
                    &access(1, role, status),
                    &command(identifier, ends_on),
                    from,
                    None,
                    &mut fresh(),
                )
                .map(|_| ());
                assert_eq!(
                    got, expected,
                    "{role:?} {status:?} {identifier} {ends_on} {from:?}"
                );
            }
        }
    }

    #[test]
    fn an_offer_waits_for_the_grantee_and_a_request_for_the_grantor() {
        let cases = [
            (
                Side::Grantor,
                DelegationStatus::Pending,
                "delegation.offered",
            ),
            (
                Side::Grantee,
                DelegationStatus::Requested,
                "delegation.requested",
            ),
        ];
        for (from, status, action) in cases {
            let known = Some(BusinessId::parse(OTHER_ID).unwrap());
            for other in [None, known] {
                let (plan, d) = open(
                    &access(1, Owner, Authorized),
                    &command("8XYZ", "2027-06-30"),
                    from,
                    other.clone(),
                    &mut fresh(),
                )
                .unwrap();
                assert_eq!(d.status, status);
                assert_eq!(d.party(from).business_id.as_deref_id(), Some(BUSINESS_ID));
                assert!(d.party(from).legal_name.is_some());
                let theirs = match from {
                    Side::Grantor => &d.grantee,
                    Side::Grantee => &d.grantor,
                };
                assert_eq!(theirs.identifier.as_str(), "8XYZ");
                assert_eq!(theirs.legal_name, None);
                // Both trails where the other account is known, ours alone otherwise.
                let trails: Vec<&str> = plan
                    .changes()
                    .filter_map(|c| match c {
                        Change::Audit(e) if e.action == action => Some(e.business_id.as_str()),
                        _ => None,
                    })
                    .collect();
                let expected: Vec<&str> = match other {
                    Some(_) => vec![BUSINESS_ID, OTHER_ID],
                    None => vec![BUSINESS_ID],
                };
                assert_eq!(trails, expected, "{from:?}");
                assert!(matches!(
                    plan.changes().next(),
                    Some(Change::DelegationSaved {
                        replacing: None,
                        ..
                    })
                ));
            }
        }
    }

    trait AsDeref {
        fn as_deref_id(&self) -> Option<&str>;
    }
    impl AsDeref for Option<BusinessId> {
        fn as_deref_id(&self) -> Option<&str> {
            self.as_ref().map(BusinessId::as_str)
        }
    }

    #[test]
    fn only_the_side_it_waits_for_accepts() {
        use DelegationStatus::*;
        let grantor = || access(1, Owner, Authorized);
        let cases: [(Access, DelegationStatus, Result<&str, Refusal>); 9] = [
            (other_access(7, Owner), Pending, Ok("accepted")),
            (grantor(), Requested, Ok("approved")),
            (
                grantor(),
                Pending,
                Err(Refusal::DelegationAwaitsTheOtherSide),
            ),
            (
                other_access(7, Owner),
                Requested,
                Err(Refusal::DelegationAwaitsTheOtherSide),
            ),
            (
                other_access(7, Proxy),
                Pending,
                Err(Refusal::RoleDoesNotAllow),
            ),
            (
                other_access(7, Owner),
                Active,
                Err(Refusal::DelegationClosed),
            ),
            (
                other_access(7, Owner),
                Declined,
                Err(Refusal::DelegationClosed),
            ),
            (
                other_access(7, Owner),
                Ended,
                Err(Refusal::DelegationClosed),
            ),
            (
                other_access(7, Owner),
                Withdrawn,
                Err(Refusal::DelegationClosed),
            ),
        ];
        for (who, status, expected) in cases {
            let got = accept(&who, Some(with_status(status)), &mut fresh());
            match (got, expected) {
                (Ok((plan, after)), Ok(action)) => {
                    assert_eq!(after.status, Active);
                    assert_eq!(after.history.last().unwrap().action, action);
                    assert_eq!(after.version, 2);
                    // The answering side is named in full from now on.
                    let side = after.history.last().unwrap().side.unwrap();
                    assert!(after.party(side).legal_name.is_some(), "{status:?}");
                    assert!(matches!(
                        plan.changes().next(),
                        Some(Change::DelegationSaved {
                            replacing: Some(1),
                            ..
                        })
                    ));
                }
                (got, expected) => {
                    assert_eq!(got.map(|_| ()), expected.map(|_| ()), "{status:?}")
                }
            }
        }
    }

    #[test]
    fn strangers_and_past_end_days_get_nothing() {
        let stranger = {
            let mut a = other_access(9, Owner);
            a.business.business.identifier =
                BusinessIdentifier::parse(Program::Emanifest, "8QQQ").unwrap();
            a
        };
        // A later account for the same identifier is not the party the grant found.
        let successor = {
            let mut a = other_access(9, Owner);
            a.business.business.business_id =
                BusinessId::parse("01jdbusiness0000000000000c").unwrap();
            a
        };
        for who in [stranger, successor] {
            assert_eq!(
                accept(&who, Some(offered()), &mut fresh()).map(|_| ()),
                Err(Refusal::NoSuchDelegation)
            );
            assert_eq!(
                end(&who, Some(offered()), &mut fresh()).map(|_| ()),
                Err(Refusal::NoSuchDelegation)
            );
        }
        assert_eq!(
            accept(&other_access(7, Owner), None, &mut fresh()).map(|_| ()),
            Err(Refusal::NoSuchDelegation)
        );
        let past = Fresh::fixed(NOW + 400 * 86_400);
        assert_eq!(
            accept(&other_access(7, Owner), Some(offered()), &mut past.clone()).map(|_| ()),
            Err(Refusal::DelegationClosed)
        );
    }
}
