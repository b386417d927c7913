//! Who may give, change or take away a role in a business account: the owner any role but
//! owner, a proxy account users and browsers only (the contract's table, `Role::allows`);
//! nobody their own role; the owner's role only by transferring ownership, so there is always
//! exactly one owner; and members change only once the program's terms are accepted.

use crate::domain::business::{Permission, Role};
use crate::domain::member::Member;
use crate::domain::{Changed, Refusal, Urn};

use crate::domain::rules::access::Access;

#[cfg(test)]
mod fixtures;
mod put;
mod remove;

pub use put::put;
pub use remove::remove;

/// The permission needed to give or take away `role`.
fn power_over(role: Role) -> Permission {
    match role {
        Role::Owner | Role::Proxy => Permission::MembersManageProxy,
        Role::User | Role::Browser => Permission::MembersManageStaff,
    }
}

/// Nobody changes their own role, not even the owner (who hands it on by transfer).
fn not_own(access: &Access, urn: &Urn) -> Result<(), Refusal> {
    if &access.membership.urn == urn {
        Err(Refusal::OwnRole)
    } else {
        Ok(())
    }
}

/// The client's `If-Match`, when sent, must be the member's current version (0: not a member).
fn not_stale(current: Option<&Member>, if_match: Option<u64>) -> Result<(), Refusal> {
    match if_match {
        Some(expected) if expected != current.map_or(0, |m| m.version) => {
            Err(Refusal::Stale(Changed::Member))
        }
        _ => Ok(()),
    }
}
