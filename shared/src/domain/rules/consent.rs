//! Information-sharing (CADI) consent: the owner gives or withdraws it once the business is
//! authorized. Every decision is kept in the consent history (never overwritten), and the
//! business shows the latest.

use serde_json::json;

use crate::clock::Fresh;
use crate::domain::business::{Consent, ConsentEntry, Permission};
use crate::domain::commands::ConsentOrder;
use crate::domain::plan::{Change, Plan};
use crate::domain::{Changed, Refusal};

use super::access::Access;

/// `PUT /businesses/{id}/information-sharing`. Answers the plan and the consent as recorded.
pub fn record(
    access: &Access,
    order: ConsentOrder,
    fresh: &mut Fresh,
) -> Result<(Plan, Consent), Refusal> {
    access.require(Permission::BusinessManage)?;
    access.require_authorized(Refusal::MembersWaitForTerms)?;
    let consent = Consent {
        consent: order.consent,
        signatory_name: order.signatory_name,
        signatory_title: order.signatory_title,
        recorded_by: access.membership.urn.clone(),
        recorded_at: fresh.now.rfc3339.clone(),
    };
    let entry = ConsentEntry {
        business_id: access.business_id().clone(),
        entry_id: fresh.id(),
        stamp: fresh.now.sortable.clone(),
        consent: consent.clone(),
        credential: access.caller.clone(),
    };
    let after = access.next_business(fresh, |after| {
        after.information_sharing = Some(consent.clone());
    });
    let action = if consent.consent {
        "information_sharing.consent_given"
    } else {
        "information_sharing.consent_withdrawn"
    };
    // The trail keeps the consent before and after, not the whole business.
    let before = access
        .business
        .information_sharing
        .as_ref()
        .map(|c| json!(c));
    let audit = access.audit(action, before, Some(json!(consent)), fresh);
    let plan = Plan::new(Changed::Business)
        .and(Change::ConsentRecorded(entry))
        .and(Change::BusinessChanged { after })
        .and(Change::Audit(audit));
    Ok((plan, consent))
}

#[cfg(test)]
mod tests {
    use super::super::access::tests::{access, urn, BUSINESS_ID};
    use super::*;
    use crate::domain::business::BusinessStatus::{Activated, Authorized};
    use crate::domain::business::{PositionTitle, Role};
    use crate::domain::{BusinessId, PersonName};

    const NOW: i64 = 1_795_000_000;

    fn order(consent: bool) -> ConsentOrder {
        ConsentOrder {
            business_id: BusinessId::parse(BUSINESS_ID).unwrap(),
            consent,
            signatory_name: PersonName::parse("Sam Roy").unwrap(),
            signatory_title: PositionTitle::parse("Director").unwrap(),
        }
    }

    #[test]
    fn consent_table() {
        let cases = [
            (Role::Owner, Authorized, Ok(())),
            (Role::Owner, Activated, Err(Refusal::MembersWaitForTerms)),
            (Role::Proxy, Authorized, Err(Refusal::RoleDoesNotAllow)),
            (Role::User, Authorized, Err(Refusal::RoleDoesNotAllow)),
            (Role::Browser, Activated, Err(Refusal::RoleDoesNotAllow)),
        ];
        for (i, (role, status, expected)) in cases.into_iter().enumerate() {
            let got = record(
                &access(1, role, status),
                order(true),
                &mut Fresh::fixed(NOW),
            );
            assert_eq!(got.map(drop), expected, "case {i}");
        }
    }

    #[test]
    fn each_decision_is_kept_and_the_business_shows_the_latest() {
        let mut a = access(1, Role::Owner, Authorized);
        let fresh = Fresh::fixed(NOW);
        for (given, action) in [
            (true, "information_sharing.consent_given"),
            (false, "information_sharing.consent_withdrawn"),
        ] {
            let (plan, consent) = record(&a, order(given), &mut fresh.clone()).unwrap();
            assert_eq!(consent.consent, given);
            assert_eq!(consent.recorded_by, urn(1));
            assert_eq!(consent.recorded_at, fresh.now.rfc3339);
            let changes: Vec<_> = plan.changes().collect();
            let Change::ConsentRecorded(entry) = changes[0] else {
                panic!("{:?}", changes[0]);
            };
            assert_eq!(entry.consent, consent);
            assert_eq!(entry.credential, a.caller);
            assert_eq!(entry.stamp, fresh.now.sortable);
            let Change::BusinessChanged { after } = changes[1] else {
                panic!("{:?}", changes[1]);
            };
            assert_eq!(after.information_sharing.as_ref(), Some(&consent));
            assert_eq!(after.business.version, a.business.business.version + 1);
            let Change::Audit(event) = changes[2] else {
                panic!("{:?}", changes[2]);
            };
            assert_eq!(event.action, action);
            let before = a.business.information_sharing.as_ref().map(|c| json!(c));
            assert_eq!(
                (event.before.clone(), event.after.clone()),
                (before, Some(json!(consent)))
            );
            assert_ne!(entry.entry_id, event.event_id, "ids are distinct");
            assert_eq!(changes.len(), 3);
            // The next decision starts from this one.
            a.business = after.clone();
        }
    }
}
