//! Dormant user accounts (the Trusted Trader rule): an account with no authenticated request
//! for two years is retired, after a warning 30 days before. Activity is recorded once a day
//! (the day's first request), and the daily sweep reads the accounts last active on exactly
//! the day it warns and the day it retires, from an index by day.

use crate::clock::{self, Fresh};
use crate::domain::agency_audit::{AgencyAction, AgencyAuditEvent};
use crate::domain::business::LegalName;
use crate::domain::member::NoticeContact;
use crate::domain::notice::{Notice, NoticeKind};
use crate::domain::plan::{Change, Plan};
use crate::domain::refusal::{Changed, Refusal};
use crate::domain::user::User;
use crate::domain::CredentialId;

const SECONDS_A_DAY: i64 = 86_400;
/// Two years without a request retire an account.
pub const RETIRED_AFTER_DAYS: i64 = 730;
/// Its e-mail is warned this many days before.
pub const WARNED_DAYS_BEFORE: i64 = 30;
/// The sweep reads this many days back from each day it handles, so a run that failed or did
/// not happen is made up by the next ones (what was done already is not done again).
pub const CATCH_UP_DAYS: i64 = 7;

/// The day (since the epoch, UTC) of an instant.
pub fn day_of(epoch: i64) -> i64 {
    epoch.div_euclid(SECONDS_A_DAY)
}

/// The days whose accounts the sweep of `today` warns and retires (each with the
/// `CATCH_UP_DAYS` before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepDays {
    pub warn: i64,
    pub retire: i64,
}

impl SweepDays {
    /// Every day of the index the sweep reads, the warned ones first.
    pub fn read(&self) -> Vec<i64> {
        let back = |day: i64| (0..CATCH_UP_DAYS).map(move |n| day - n);
        back(self.warn).chain(back(self.retire)).collect()
    }
}

pub fn sweep_days(today: i64) -> SweepDays {
    SweepDays {
        warn: today - RETIRED_AFTER_DAYS + WARNED_DAYS_BEFORE,
        retire: today - RETIRED_AFTER_DAYS,
    }
}

/// A request with `user`'s credential: refused once the account is retired; the day's first
/// request records the day (one conditional update a day), any later one writes nothing.
pub fn on_request(user: &User, today: i64) -> Result<Option<Plan>, Refusal> {
    if user.retired_at.is_some() {
        return Err(Refusal::AccountRetired);
    }
    if user.active_day.is_some_and(|day| day >= today) {
        return Ok(None);
    }
    Ok(Some(Plan::new(Changed::UserAccount).and(
        Change::ActiveOn {
            credential: user.credential.clone(),
            day: today,
        },
    )))
}

/// The sweep's warning to an account last active on the warned day: the date it retires on,
/// in its language. Nothing for any other account (active since, or retired).
pub fn warn(user: &User, today: i64, fresh: &mut Fresh) -> Option<Plan> {
    let days = sweep_days(today);
    let day = user
        .active_day
        .filter(|&d| days.retire < d && d <= days.warn)?;
    if user.retired_at.is_some() {
        return None;
    }
    let retires_on = clock::at((day + RETIRED_AFTER_DAYS) * SECONDS_A_DAY).rfc3339;
    let notice = Notice::to(
        &user.contact(),
        fresh.id(),
        &fresh.now.rfc3339,
        NoticeKind::AccountDormant {
            name: user.name.clone(),
            urn: user.urn.clone(),
            retires_on: retires_on.get(..10).unwrap_or_default().to_owned(),
        },
    );
    Some(
        Plan::new(Changed::UserAccount)
            .and(Change::DormancyWarned {
                credential: user.credential.clone(),
                day,
            })
            .and(Change::Notice(notice)),
    )
}

/// A business the retiring account owns, with its proxies as the URN index has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedBusiness {
    pub legal_name: LegalName,
    pub proxies: Vec<NoticeContact>,
}

/// The sweep retires an account last active on the retired day; the proxies of each business
/// it owns are told, so the agency can recover the ownership. Its memberships stay.
pub fn retire(user: &User, owned: &[OwnedBusiness], today: i64, fresh: &mut Fresh) -> Option<Plan> {
    let last_active = user.active_day.filter(|&d| d <= sweep_days(today).retire);
    if user.retired_at.is_some() || last_active.is_none() {
        return None;
    }
    let mut plan = Plan::new(Changed::UserAccount).and(Change::AccountRetired {
        user: user.clone(),
        at: fresh.now.rfc3339.clone(),
    });
    for business in owned {
        for proxy in &business.proxies {
            let notice = Notice::to(
                proxy,
                fresh.id(),
                &fresh.now.rfc3339,
                NoticeKind::OwnerRetired {
                    name: proxy.name.clone(),
                    legal_name: business.legal_name.clone(),
                    owner: user.name.clone(),
                    owner_urn: user.urn.clone(),
                },
            );
            plan.add(Change::Notice(notice));
        }
    }
    Some(plan)
}

/// `POST /agency/users/{urn}/reinstate`: the retired account works again (active today, so
/// two more years), in the agency audit. 404 for a URN nobody has, 409 unless retired.
pub fn reinstate(
    officer: &CredentialId,
    user: Option<&User>,
    fresh: &mut Fresh,
) -> Result<(Plan, User), Refusal> {
    let user = user.ok_or(Refusal::NoUserWithUrn)?;
    if user.retired_at.is_none() {
        return Err(Refusal::AccountNotRetired);
    }
    let after = User {
        retired_at: None,
        undeliverable: None,
        active_day: Some(day_of(fresh.now.epoch)),
        ..user.clone()
    };
    let event = AgencyAuditEvent::new(
        officer,
        AgencyAction::UserReinstated,
        vec![user.urn.to_string()],
        fresh,
    );
    let plan = Plan::new(Changed::UserAccount)
        .with(
            Change::AccountReinstated {
                user: after.clone(),
            },
            Refusal::AccountNotRetired,
        )
        .and(Change::AgencyAudit(event));
    Ok((plan, after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::access::tests::{account, person};
    use crate::domain::Language;

    /// 2026-11-18.
    const NOW: i64 = 1_795_000_000;
    const TODAY: i64 = NOW / SECONDS_A_DAY;

    fn last_active(day: Option<i64>, retired: bool) -> User {
        User {
            active_day: day,
            retired_at: retired.then(|| "2026-01-01T00:00:00Z".into()),
            ..account(3)
        }
    }

    #[test]
    fn a_request_records_the_day_once_and_a_retired_account_gets_nothing() {
        let recorded = |day| {
            Ok(Some(Plan::new(Changed::UserAccount).and(
                Change::ActiveOn {
                    credential: account(3).credential,
                    day,
                },
            )))
        };
        let cases = [
            (None, false, recorded(TODAY)),
            (Some(TODAY - 1), false, recorded(TODAY)),
            (Some(TODAY - 700), false, recorded(TODAY)),
            (Some(TODAY), false, Ok(None)),
            // A clock a little behind another function's never moves the day back.
            (Some(TODAY + 1), false, Ok(None)),
            (Some(TODAY), true, Err(Refusal::AccountRetired)),
            (None, true, Err(Refusal::AccountRetired)),
        ];
        for (day, retired, expected) in cases {
            let user = last_active(day, retired);
            assert_eq!(
                on_request(&user, TODAY),
                expected,
                "{day:?} retired {retired}"
            );
        }
    }

    #[test]
    fn the_sweep_warns_30_days_before_two_years_and_retires_on_the_day() {
        let days = sweep_days(TODAY);
        assert_eq!(TODAY - days.retire, 730);
        assert_eq!(days.warn - days.retire, 30);
        // (last active, retired) → (warned, retired)
        let cases = [
            (Some(days.warn), false, true, false),
            (Some(days.retire), false, false, true),
            (Some(days.warn + 1), false, false, false),
            // Days a failed run left behind are made up.
            (Some(days.warn - 1), false, true, false),
            (Some(days.retire + 1), false, true, false),
            (Some(days.retire - 1), false, false, true),
            (Some(TODAY), false, false, false),
            (None, false, false, false),
            (Some(days.warn), true, false, false),
            (Some(days.retire), true, false, false),
        ];
        for (day, retired, warned, retiring) in cases {
            let user = last_active(day, retired);
            let mut fresh = Fresh::fixed(NOW);
            assert_eq!(
                warn(&user, TODAY, &mut fresh).is_some(),
                warned,
                "{day:?} {retired}"
            );
            assert_eq!(
                retire(&user, &[], TODAY, &mut fresh).is_some(),
                retiring,
                "{day:?} {retired}"
            );
        }
    }

    #[test]
    fn the_sweep_reads_a_week_back_from_each_day() {
        let days = sweep_days(TODAY);
        let read = days.read();
        assert_eq!(read.len(), 14);
        assert!(read.contains(&days.warn) && read.contains(&(days.warn - 6)));
        assert!(read.contains(&days.retire) && read.contains(&(days.retire - 6)));
        assert!(!read.contains(&(days.warn + 1)) && !read.contains(&(days.retire - 7)));
    }

    #[test]
    fn the_warning_names_the_retirement_date_in_the_users_language() {
        let days = sweep_days(TODAY);
        let user = last_active(Some(days.warn), false);
        let plan = warn(&user, TODAY, &mut Fresh::fixed(NOW)).unwrap();
        let notices: Vec<_> = plan
            .changes()
            .filter_map(|c| match c {
                Change::Notice(n) => Some(n),
                _ => None,
            })
            .collect();
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].to, user.email);
        assert_eq!(notices[0].language, Language::En);
        // Two years after the warned day, 30 days from now: 2026-12-18.
        assert!(matches!(
            &notices[0].kind,
            NoticeKind::AccountDormant { retires_on, .. } if retires_on == "2026-12-18"
        ));
        assert!(plan.changes().any(|c| matches!(
            c,
            Change::DormancyWarned { day, .. } if *day == days.warn
        )));
    }

    #[test]
    fn retiring_an_owner_tells_each_proxy_of_each_business() {
        let user = last_active(Some(sweep_days(TODAY).retire), false);
        let owned = |names: &[&str], proxies: &[u64]| -> Vec<OwnedBusiness> {
            names
                .iter()
                .map(|n| OwnedBusiness {
                    legal_name: LegalName::parse(n).unwrap(),
                    proxies: proxies.iter().map(|&p| person(p).contact()).collect(),
                })
                .collect()
        };
        let cases = [
            (owned(&[], &[]), 0),
            (owned(&["Maple Freight Inc."], &[]), 0),
            (owned(&["Maple Freight Inc."], &[4, 5]), 2),
            (owned(&["Maple Freight Inc.", "Acme Ltd."], &[4, 5]), 4),
        ];
        for (owned, told) in cases {
            let plan = retire(&user, &owned, TODAY, &mut Fresh::fixed(NOW)).unwrap();
            let notices: Vec<_> = plan
                .changes()
                .filter_map(|c| match c {
                    Change::Notice(n) => Some(n),
                    _ => None,
                })
                .collect();
            assert_eq!(notices.len(), told);
            assert!(notices.iter().all(|n| matches!(
                &n.kind,
                NoticeKind::OwnerRetired { owner_urn, .. } if *owner_urn == user.urn
            )));
            // French to the French-speaking proxy (4), English to the other.
            assert!(notices.iter().all(
                |n| n.language == person(if n.to == person(4).email { 4 } else { 5 }).language
            ));
            assert!(matches!(
                plan.changes().next(),
                Some(Change::AccountRetired { user: u, .. }) if *u == user
            ));
        }
    }

    #[test]
    fn an_officer_reinstates_a_retired_account_only() {
        let officer = CredentialId::new(crate::domain::Idp::GcKey, "officer-1").unwrap();
        let retired = last_active(Some(TODAY - 731), true);
        let active = last_active(Some(TODAY), false);
        let cases = [
            (None, Err(Refusal::NoUserWithUrn)),
            (Some(&active), Err(Refusal::AccountNotRetired)),
            (Some(&retired), Ok(())),
        ];
        for (user, expected) in cases {
            let outcome = reinstate(&officer, user, &mut Fresh::fixed(NOW));
            assert_eq!(outcome.as_ref().map(|_| ()), expected.as_ref().map(|_| ()));
            if let Ok((plan, after)) = outcome {
                assert_eq!(after.retired_at, None);
                assert_eq!(after.active_day, Some(TODAY));
                assert!(plan.changes().any(|c| matches!(
                    c,
                    Change::AgencyAudit(e) if e.action == AgencyAction::UserReinstated
                        && e.concerned == [retired.urn.to_string()]
                )));
            }
        }
    }
}
