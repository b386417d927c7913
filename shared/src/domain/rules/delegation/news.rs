//! Telling both owners: each step of a delegation reaches the owner of either business in
//! their language, and the daily sweep reminds them before its end day.

use crate::clock::Fresh;
use crate::domain::business::LegalName;
use crate::domain::delegation::{Day, Delegation, DelegationNews};
use crate::domain::member::NoticeContact;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::{Changed, Refusal};

/// An owner to tell, and the business they own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub contact: NoticeContact,
    pub legal_name: LegalName,
}

/// The news of the step a decision just took (the last of the history).
pub fn news_of(d: &Delegation) -> Option<DelegationNews> {
    d.history
        .last()
        .and_then(|step| DelegationNews::of_action(&step.action))
}

/// Each owner told what happened, in their language, in the same write as the change.
pub fn tell(
    plan: &mut Plan,
    d: &Delegation,
    news: DelegationNews,
    owners: &[Owner],
    fresh: &mut Fresh,
) {
    for owner in owners {
        let kind = NoticeKind::Delegation {
            name: owner.contact.name.clone(),
            legal_name: owner.legal_name.clone(),
            news,
            grantor: d.grantor.shown(),
            grantee: d.grantee.shown(),
            program: d.program(),
            permissions: d.permissions,
            ends_on: d.ends_on.to_string(),
        };
        let notice = Notice::to(&owner.contact, fresh.id(), &fresh.now.rfc3339, kind);
        plan.add(Change::Notice(notice));
    }
}

/// Days before its end day that both owners are reminded.
pub const REMIND_DAYS: i64 = 30;

/// The daily sweep's reminder: an active delegation whose end day is at most `REMIND_DAYS`
/// away, not reminded yet, is marked reminded and both owners are told. None if not due.
pub fn remind(read: &Delegation, owners: &[Owner], fresh: &mut Fresh) -> Option<Plan> {
    let today = Day::of(fresh.now.epoch);
    if read.reminded || !read.in_force(today) || read.ends_on > today.plus_days(REMIND_DAYS) {
        return None;
    }
    let mut after = read.clone();
    after.reminded = true;
    after.version += 1;
    let mut plan = Plan::new(Changed::Delegation).with(
        Change::DelegationSaved {
            delegation: after.clone(),
            replacing: Some(read.version),
        },
        Refusal::ChangedMeanwhile(Changed::Delegation),
    );
    tell(&mut plan, &after, DelegationNews::EndingSoon, owners, fresh);
    Some(plan)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::{accept, end, open};
    use super::*;
    use crate::domain::business::BusinessStatus::Authorized;
    use crate::domain::business::Role;
    use crate::domain::delegation::{DelegationStatus, Side};
    use crate::domain::rules::access::tests::access;
    use Role::Owner;

    fn told(plan: &Plan) -> Vec<(String, DelegationNews)> {
        plan.changes()
            .filter_map(|c| match c {
                Change::Notice(n) => match &n.kind {
                    NoticeKind::Delegation { news, .. } => Some((n.to.as_str().to_owned(), *news)),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    #[test]
    fn each_step_tells_every_owner_given_what_happened() {
        let owners = [owner(1), owner(7)];
        let emails = || owners.iter().map(|o| o.contact.email.as_str().to_owned());
        let (_, offer) = open(
            &access(1, Owner, Authorized),
            &command("8XYZ", "2027-06-30"),
            Side::Grantor,
            None,
            &mut fresh(),
        )
        .unwrap();
        let (_, accepted) =
            accept(&other_access(7, Owner), Some(offer.clone()), &mut fresh()).unwrap();
        let (_, ended) = end(
            &access(1, Owner, Authorized),
            Some(accepted.clone()),
            &mut fresh(),
        )
        .unwrap();
        let cases = [
            (&offer, DelegationNews::Offered),
            (&accepted, DelegationNews::Accepted),
            (&ended, DelegationNews::Ended),
        ];
        for (d, news) in cases {
            assert_eq!(news_of(d), Some(news));
            let mut plan = Plan::new(Changed::Delegation);
            tell(&mut plan, d, news, &owners, &mut fresh());
            let expected: Vec<_> = emails().map(|e| (e, news)).collect();
            assert_eq!(told(&plan), expected);
        }
        // The grantor's own notice names the grantee only as typed, until it takes part.
        let mut plan = Plan::new(Changed::Delegation);
        tell(
            &mut plan,
            &offer,
            DelegationNews::Offered,
            &owners[..1],
            &mut fresh(),
        );
        let Some(Change::Notice(Notice {
            kind: NoticeKind::Delegation { grantee, .. },
            ..
        })) = plan.changes().next()
        else {
            panic!("a notice")
        };
        assert_eq!(grantee, "8XYZ");
    }

    #[test]
    fn owners_are_reminded_once_within_30_days_of_the_end_day() {
        use DelegationStatus::*;
        let ends = day("2027-06-30");
        let at = |d: &str| {
            let (y, m, dd) = (
                d[0..4].parse::<i32>().unwrap(),
                d[5..7].parse::<u8>().unwrap(),
                d[8..10].parse::<u8>().unwrap(),
            );
            let date =
                time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), dd).unwrap();
            date.midnight().assume_utc().unix_timestamp() + 3600
        };
        let cases = [
            (Active, false, "2027-05-31", true),
            (Active, false, "2027-06-15", true),
            (Active, false, "2027-05-30", false), // 31 days before
            (Active, true, "2027-06-15", false),  // reminded already
            (Pending, false, "2027-06-15", false),
            (Ended, false, "2027-06-15", false),
            (Active, false, "2027-07-01", false), // past its end day
        ];
        for (status, reminded, today, due) in cases {
            let d = Delegation {
                status,
                reminded,
                ends_on: ends,
                ..offered()
            };
            let plan = remind(&d, &[owner(1), owner(7)], &mut Fresh::fixed(at(today)));
            assert_eq!(plan.is_some(), due, "{status:?} {reminded} {today}");
            if let Some(plan) = plan {
                assert_eq!(told(&plan).len(), 2);
                assert!(matches!(
                    plan.changes().next(),
                    Some(Change::DelegationSaved { delegation, .. }) if delegation.reminded
                ));
            }
        }
    }
}
