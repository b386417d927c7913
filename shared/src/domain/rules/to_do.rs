//! What is waiting for a person on a business account: the terms to accept, consent (CADI) to
//! record, an ownership transfer to accept or one they started. Derived from what reading the
//! business already found (the business and its pending transfer); never a read of its own.

use serde::Serialize;

use crate::clock;
use crate::domain::business::{BusinessAccount, BusinessStatus, Role};
use crate::domain::member::OwnershipTransfer;
use crate::domain::{PersonName, Urn};

/// A pending ownership transfer as one of the two people in it sees it. Other members are not
/// shown it: it is between the owner and the person named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingTransfer {
    pub from_urn: Urn,
    /// The owner's name, as their account said when they asked for the transfer.
    pub from_name: PersonName,
    pub to_urn: Urn,
    /// The name of the person named, as their account said when the transfer was asked for.
    pub to_name: PersonName,
    pub requested_at: String,
    pub expires_at: String,
    /// True for the person named (they may accept), false for the owner (they may cancel).
    pub yours_to_accept: bool,
}

/// One thing to do, in the portal's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToDo {
    /// The owner has not accepted the program's terms: nothing can be changed until they do.
    AcceptTerms,
    /// The owner has never given nor withdrawn information-sharing (CADI) consent.
    RecordConsent,
    /// The owner named this person to take over the business.
    AcceptOwnership {
        from_urn: Urn,
        from_name: PersonName,
        expires_at: String,
    },
    /// This owner named someone to take over; it waits for them.
    OwnershipTransferWaiting {
        to_urn: Urn,
        to_name: PersonName,
        expires_at: String,
    },
}

/// The transfer `me` takes part in, if one is pending and not expired at `now`.
pub fn pending_transfer(
    me: &Urn,
    role: Option<Role>,
    transfer: Option<&OwnershipTransfer>,
    now: i64,
) -> Option<PendingTransfer> {
    let t = transfer.filter(|t| t.expires_at > now)?;
    let yours_to_accept = &t.to_urn == me;
    if !yours_to_accept && role != Some(Role::Owner) {
        return None;
    }
    Some(PendingTransfer {
        from_urn: t.from_urn.clone(),
        from_name: t.from.name.clone(),
        to_urn: t.to_urn.clone(),
        to_name: t.to.name.clone(),
        requested_at: t.requested_at.clone(),
        expires_at: clock::at(t.expires_at).rfc3339,
        yours_to_accept,
    })
}

/// What waits for a person with `role` on `business` (a closed business asks nothing).
pub fn to_do(
    role: Option<Role>,
    business: &BusinessAccount,
    transfer: Option<&PendingTransfer>,
) -> Vec<ToDo> {
    let status = business.business.status;
    let owner = role == Some(Role::Owner);
    let mut list = Vec::new();
    if status == BusinessStatus::Closed {
        return list;
    }
    if owner && status == BusinessStatus::Activated {
        list.push(ToDo::AcceptTerms);
    }
    if owner && status == BusinessStatus::Authorized && business.information_sharing.is_none() {
        list.push(ToDo::RecordConsent);
    }
    list.extend(transfer.map(transfer_to_do));
    list
}

/// The to-do a pending transfer makes: accept it, or wait for the person named.
pub fn transfer_to_do(t: &PendingTransfer) -> ToDo {
    match t.yours_to_accept {
        true => ToDo::AcceptOwnership {
            from_urn: t.from_urn.clone(),
            from_name: t.from_name.clone(),
            expires_at: t.expires_at.clone(),
        },
        false => ToDo::OwnershipTransferWaiting {
            to_urn: t.to_urn.clone(),
            to_name: t.to_name.clone(),
            expires_at: t.expires_at.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::{business, person, urn};
    use super::*;
    use crate::domain::business::{Consent, PositionTitle};
    use BusinessStatus::{Activated, Authorized, Closed};
    use Role::{Browser, Owner, Proxy};

    const NOW: i64 = 1_795_000_000;
    const HEIR: u64 = 4;

    /// (role, business, pending transfer, what is to do)
    type Case<'a> = (
        Option<Role>,
        BusinessAccount,
        Option<&'a PendingTransfer>,
        Vec<ToDo>,
    );

    fn transfer(expires_at: i64) -> OwnershipTransfer {
        OwnershipTransfer {
            business_id: business(Authorized).business.business_id,
            from_urn: urn(1),
            to_urn: urn(HEIR),
            from: person(1).contact(),
            to: person(HEIR).contact(),
            requested_at: "2026-11-20T00:00:00Z".into(),
            expires_at,
        }
    }

    fn consented(status: BusinessStatus) -> BusinessAccount {
        let mut b = business(status);
        b.information_sharing = Some(Consent {
            consent: false,
            signatory_name: PersonName::parse("Sam Roy").unwrap(),
            signatory_title: PositionTitle::parse("Director").unwrap(),
            recorded_by: urn(1),
            recorded_at: "2026-11-20T00:00:00Z".into(),
        });
        b
    }

    #[test]
    fn who_sees_a_pending_transfer() {
        let live = transfer(NOW + 60);
        let cases = [
            // (me, role, transfer, seen, yours to accept)
            (1, Some(Owner), Some(&live), true, false),
            (HEIR, Some(Proxy), Some(&live), true, true),
            (HEIR, None, Some(&live), true, true),
            (3, Some(Proxy), Some(&live), false, false),
            (3, Some(Browser), Some(&live), false, false),
            (3, None, Some(&live), false, false),
            (1, Some(Owner), None, false, false),
        ];
        for (i, (me, role, t, seen, yours)) in cases.into_iter().enumerate() {
            let got = pending_transfer(&urn(me), role, t, NOW);
            assert_eq!(got.is_some(), seen, "case {i}");
            if let Some(got) = got {
                assert_eq!(got.yours_to_accept, yours, "case {i}");
                assert_eq!(got.to_urn, urn(HEIR), "case {i}");
                assert_eq!(got.to_name, person(HEIR).name, "case {i}");
                assert_eq!(got.from_name, person(1).name, "case {i}");
                assert_eq!(got.expires_at, clock::at(NOW + 60).rfc3339, "case {i}");
            }
        }
    }

    #[test]
    fn an_expired_transfer_is_not_pending() {
        for expires_at in [NOW, NOW - 1] {
            let t = transfer(expires_at);
            assert_eq!(pending_transfer(&urn(1), Some(Owner), Some(&t), NOW), None);
            assert_eq!(
                pending_transfer(&urn(HEIR), Some(Proxy), Some(&t), NOW),
                None
            );
        }
    }

    #[test]
    fn to_do_table() {
        let live = transfer(NOW + 60);
        let started = pending_transfer(&urn(1), Some(Owner), Some(&live), NOW).unwrap();
        let named = pending_transfer(&urn(HEIR), Some(Proxy), Some(&live), NOW).unwrap();
        let expires_at = clock::at(NOW + 60).rfc3339;
        let waiting = ToDo::OwnershipTransferWaiting {
            to_urn: urn(HEIR),
            to_name: person(HEIR).name,
            expires_at: expires_at.clone(),
        };
        let accept = ToDo::AcceptOwnership {
            from_urn: urn(1),
            from_name: person(1).name,
            expires_at,
        };
        use ToDo::{AcceptTerms, RecordConsent};
        let cases: Vec<Case> = vec![
            (Some(Owner), business(Activated), None, vec![AcceptTerms]),
            (Some(Owner), business(Authorized), None, vec![RecordConsent]),
            (Some(Owner), consented(Authorized), None, vec![]),
            (
                Some(Owner),
                consented(Authorized),
                Some(&started),
                vec![waiting.clone()],
            ),
            (
                Some(Owner),
                business(Authorized),
                Some(&started),
                vec![RecordConsent, waiting],
            ),
            (Some(Owner), business(Closed), None, vec![]),
            // Terms and consent are the owner's to give: nobody else is asked.
            (Some(Proxy), business(Activated), None, vec![]),
            (Some(Proxy), business(Authorized), None, vec![]),
            (
                Some(Proxy),
                consented(Authorized),
                Some(&named),
                vec![accept.clone()],
            ),
            (None, business(Authorized), None, vec![]),
            (Some(Browser), business(Closed), Some(&named), vec![]),
        ];
        for (i, (role, b, t, expected)) in cases.into_iter().enumerate() {
            assert_eq!(to_do(role, &b, t), expected, "case {i}");
        }
    }

    #[test]
    fn a_to_do_names_its_kind() {
        let json = serde_json::to_value(ToDo::AcceptTerms).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "accept_terms"}));
    }
}
