//! The lists: owners and proxies see every delegation their business gives or receives,
//! open and closed, each as of today.

use crate::domain::business::Permission;
use crate::domain::delegation::{Day, Delegation, Direction};
use crate::domain::Refusal;

use super::super::access::Access;

/// `GET /businesses/{id}/delegations?direction=`: owners and proxies see every delegation
/// their business gives or receives (open and closed), each as of today.
pub fn list(
    access: &Access,
    read: Vec<Delegation>,
    direction: Option<Direction>,
    today: Day,
) -> Result<Vec<Delegation>, Refusal> {
    access.require(Permission::MembersList)?;
    // The lists are kept by identifier: a delegation of an earlier account of the same
    // identifier (closed, the identifier freed) is not this business's.
    Ok(read
        .into_iter()
        .filter(|d| match direction {
            Some(direction) => d.party(direction.side()).is(&access.business),
            None => d.side_of(&access.business).is_some(),
        })
        .map(|mut d| {
            d.status = d.status_on(today);
            d
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::domain::business::BusinessStatus::Authorized;
    use crate::domain::business::Role;
    use crate::domain::delegation::DelegationStatus;
    use crate::domain::rules::access::tests::access;
    use Role::{Owner, Proxy, User as Staff};

    #[test]
    fn lists_hold_the_businesss_own_side_as_of_today() {
        let active = with_status(DelegationStatus::Active);
        let cases = [
            (
                access(1, Owner, Authorized),
                Some(Direction::Given),
                NOW,
                Ok(vec![DelegationStatus::Active]),
            ),
            (
                access(1, Proxy, Authorized),
                Some(Direction::Given),
                NOW,
                Ok(vec![DelegationStatus::Active]),
            ),
            (
                access(1, Owner, Authorized),
                Some(Direction::Received),
                NOW,
                Ok(vec![]),
            ),
            (
                other_access(7, Owner),
                Some(Direction::Received),
                NOW,
                Ok(vec![DelegationStatus::Active]),
            ),
            (
                other_access(7, Owner),
                None,
                NOW + 400 * 86_400,
                Ok(vec![DelegationStatus::Expired]),
            ),
            (
                access(1, Staff, Authorized),
                Some(Direction::Given),
                NOW,
                Err(Refusal::RoleDoesNotAllow),
            ),
        ];
        for (who, direction, now, expected) in cases {
            let got = list(&who, vec![active.clone()], direction, Day::of(now))
                .map(|ds| ds.into_iter().map(|d| d.status).collect::<Vec<_>>());
            assert_eq!(got, expected, "{direction:?} {now}");
        }
    }
}
