//! The signed proof: what a proof of an active delegation states, and whether one shown
//! later still holds.

use crate::clock::Fresh;
use crate::domain::business::Permission;
use crate::domain::delegation::{Day, Delegation, DelegationStatus, ProofClaims, PROOF_ISSUER};
use crate::domain::Refusal;

use super::super::access::Access;
use super::party_to;

/// `GET /businesses/{id}/delegations/{delegation_id}/proof`: what a proof of an active
/// delegation states, for the owners and proxies of either side (to show a customs officer,
/// or another system); valid until the end of its end day.
pub fn proof(
    access: &Access,
    read: Option<Delegation>,
    fresh: &mut Fresh,
) -> Result<ProofClaims, Refusal> {
    let (d, _) = party_to(access, read)?;
    access.require(Permission::MembersList)?;
    if !d.in_force(Day::of(fresh.now.epoch)) {
        return Err(Refusal::DelegationNotActive);
    }
    Ok(ProofClaims {
        iss: PROOF_ISSUER.to_owned(),
        jti: fresh.id(),
        sub: d.delegation_id.clone(),
        iat: fresh.now.epoch,
        exp: d.ends_on.end_epoch(),
        program: d.program(),
        grantor: (&d.grantor).into(),
        grantee: (&d.grantee).into(),
        permissions: d.permissions,
        ends_on: d.ends_on,
    })
}

/// Whether a proof (its claims, as its signature vouched) still holds at `now`: the
/// delegation it names still active, not past the proof's expiry. The status says why not.
pub fn still_holds(
    claims: &ProofClaims,
    read: Option<&Delegation>,
    now: i64,
) -> (bool, Option<DelegationStatus>) {
    let status = read.map(|d| d.status_on(Day::of(now)));
    let holds = status == Some(DelegationStatus::Active)
        && now < claims.exp
        && read.is_some_and(|d| d.permissions == claims.permissions && d.ends_on == claims.ends_on);
    (holds, status)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::domain::business::BusinessStatus::Authorized;
    use crate::domain::business::Role;
    use crate::domain::rules::access::tests::access;
    use Role::{Owner, Proxy, User as Staff};

    #[test]
    fn a_proof_is_given_for_an_active_delegation_and_holds_while_it_does() {
        use DelegationStatus::*;
        let active = active_with_both_known();
        let cases = [
            (access(1, Owner, Authorized), Active, Ok(())),
            (access(1, Proxy, Authorized), Active, Ok(())),
            (other_access(7, Owner), Active, Ok(())),
            (
                other_access(7, Staff),
                Active,
                Err(Refusal::RoleDoesNotAllow),
            ),
            (
                access(1, Owner, Authorized),
                Pending,
                Err(Refusal::DelegationNotActive),
            ),
            (
                access(1, Owner, Authorized),
                Ended,
                Err(Refusal::DelegationNotActive),
            ),
        ];
        for (who, status, expected) in cases {
            let d = Delegation {
                status,
                ..active.clone()
            };
            assert_eq!(
                proof(&who, Some(d), &mut fresh()).map(|_| ()),
                expected,
                "{status:?}"
            );
        }
        let claims = proof(
            &access(1, Owner, Authorized),
            Some(active.clone()),
            &mut fresh(),
        )
        .unwrap();
        assert_eq!(
            claims.exp,
            Day::parse("2027-07-01").unwrap().end_epoch() - 86_400
        );
        assert_eq!(
            claims.grantee.legal_name.as_deref(),
            Some("Border Brokers Inc.")
        );
        let ended = Delegation {
            status: Ended,
            ..active.clone()
        };
        let cases = [
            (Some(&active), NOW, (true, Some(Active))),
            (Some(&ended), NOW, (false, Some(Ended))),
            (Some(&active), claims.exp, (false, Some(Expired))),
            (None, NOW, (false, None)),
        ];
        for (d, now, expected) in cases {
            assert_eq!(still_holds(&claims, d, now), expected, "{now}");
        }
    }
}
