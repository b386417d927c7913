//! What the role rules' tests share: the commands, and what a put came to.

use super::*;
pub(super) use crate::domain::business::BusinessStatus::{Activated, Authorized};
pub(super) use crate::domain::commands::PutMember;
pub(super) use crate::domain::commands::RemoveMember;
pub(super) use crate::domain::rules::access::tests::{
    access, account, business, member, person, urn, BUSINESS_ID,
};
pub(super) use crate::domain::Change;
pub(super) use crate::domain::Plan;
pub(super) use crate::domain::{BusinessId, Email};
pub(super) use Role::{Browser, Owner, Proxy, User};

pub(super) const NOW: i64 = 1_795_000_000;

/// The caller is member 1 or 2 (as the case says); the URN acted on is member 5's.
pub(super) const TARGET: u64 = 5;

/// A PUT that names the person by their URN and the e-mail of their account.
pub(super) fn put_command(n: u64, role: Role, if_match: Option<u64>) -> PutMember {
    PutMember {
        business_id: BusinessId::parse(BUSINESS_ID).unwrap(),
        urn: urn(n),
        role,
        if_match,
        email: Some(person(n).email),
    }
}

pub(super) fn remove_command(n: u64, if_match: Option<u64>) -> RemoveMember {
    RemoveMember {
        business_id: BusinessId::parse(BUSINESS_ID).unwrap(),
        urn: urn(n),
        if_match,
    }
}

#[derive(Debug, PartialEq)]
pub(super) enum Put {
    Added,
    Changed,
    Unchanged,
    Refused(Refusal),
}

/// What `put` decided, in a word.
pub(super) fn outcome(got: Result<(Plan, Member), Refusal>) -> Put {
    match got {
        Err(refusal) => Put::Refused(refusal),
        Ok((plan, _)) if plan.is_empty() => Put::Unchanged,
        Ok((plan, _))
            if plan
                .changes()
                .any(|c| matches!(c, Change::MemberAdded { .. })) =>
        {
            Put::Added
        }
        Ok(_) => Put::Changed,
    }
}
