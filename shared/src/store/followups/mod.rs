//! The store side of the follow-ups: the two changes a request cannot finish in its one
//! transaction, because DynamoDB takes at most 100 items in one.
//!
//! - Closing a business ends every membership (both sides). The request's transaction marks
//!   the business `closed` and ends a bounded first chunk; the `META` item's stream record (its
//!   new image is `closed`) brings `membership-followups`, which ends the rest in bounded steps.
//! - Claiming a credential transfer moves every membership of the account to the new
//!   credential. The request's transaction moves the user item and a bounded first chunk; when
//!   more are left, the new user item carries `moving_from` (the old credential), and its
//!   stream record brings the follow-up, which moves the rest in bounded steps.
//!
//! A step that leaves work behind asks for the next one by changing its driving item once more
//! (`followup_steps`, a counter): that change is a new stream record for the same filter. The
//! step that finds nothing left ends the chain (for an account, by removing `moving_from`).
//!
//! Every write is conditional on what the step read, so a step that runs twice (a redelivered
//! record, a retry) or beside a request that changes the same membership changes nothing more:
//! a refused transaction fails the step, and Lambda runs it again on what is there then.
//!
//! Here: what a stream record asks for, and what both kinds of step share; each kind's writes
//! and reads are in its own file (`closing`, `moving`; members to tell are `store::telling`).

mod closing;
mod moving;

use serde::Deserialize;

use crate::domain::business::BusinessStatus;
use crate::domain::{BusinessId, CredentialId, Idp, Urn};
use crate::error::Error;
use crate::store::dynamo::{s, Cond};
use crate::store::keys;

pub(super) use closing::end_membership;
pub(super) use moving::{move_acting_for, move_membership};

/// DynamoDB's limit on the items of one TransactWriteItems.
pub const MAX_TX_ITEMS: usize = 100;
/// Items that ending one membership writes: both sides deleted.
pub const ITEMS_TO_END: usize = 2;
/// Items that moving one membership writes: the old user side deleted, a new one put, the
/// business side re-pointed.
pub const ITEMS_TO_MOVE: usize = 3;
/// The driving item's count of follow-up steps that asked for another one.
const FOLLOWUP_STEPS: &str = "followup_steps";

/// What one stream record asks of the follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Followup {
    /// The business is closed: end its memberships that are left.
    EndMemberships { business_id: BusinessId },
    /// The account `urn` lives under `to` now: move its memberships left under `from`.
    MoveMemberships {
        urn: Urn,
        from: CredentialId,
        to: CredentialId,
    },
    /// Members of a business are still to be told of an owner recovery, from the one after
    /// URN `after` (`store::telling`).
    TellMembers { tell_id: String, after: String },
}

/// The parts of a new image the follow-up reads.
#[derive(Deserialize)]
struct Image {
    sk: String,
    #[serde(default)]
    business_id: Option<BusinessId>,
    #[serde(default)]
    status: Option<BusinessStatus>,
    #[serde(default)]
    urn: Option<Urn>,
    #[serde(default)]
    idp: Option<Idp>,
    #[serde(default)]
    sub: Option<String>,
    #[serde(default)]
    moving_from: Option<CredentialId>,
    #[serde(default)]
    tell_id: Option<String>,
    #[serde(default)]
    after: Option<String>,
}

/// The follow-up a record's new image asks for: a closed business's `META`, a user item with
/// `moving_from`, or members still to be told; anything else asks for none.
pub fn followup_of(new_image: serde_dynamo::Item) -> Option<Followup> {
    let image: Image = serde_dynamo::from_item(new_image).ok()?;
    match image.sk.as_str() {
        keys::META_SK if image.status == Some(BusinessStatus::Closed) => {
            Some(Followup::EndMemberships {
                business_id: image.business_id?,
            })
        }
        keys::TELL_SK => Some(Followup::TellMembers {
            tell_id: image.tell_id?,
            after: image.after.unwrap_or_default(),
        }),
        keys::USER_SK => Some(Followup::MoveMemberships {
            urn: image.urn?,
            from: image.moving_from?,
            to: CredentialId::new(image.idp?, &image.sub?)?,
        }),
        _ => None,
    }
}

fn names_credential(credential: &CredentialId) -> Cond {
    Cond::Expr(
        "#idp = :idp AND #sub = :sub",
        vec![
            (":idp", s(credential.idp().as_str())),
            (":sub", s(credential.sub())),
        ],
    )
}

/// The user side of a membership of `urn`, or no item there at all.
fn absent_or_of(urn: &Urn) -> Cond {
    Cond::Expr(
        "attribute_not_exists(pk) OR #urn = :urn",
        vec![(":urn", s(urn.as_str()))],
    )
}

/// Why a step failed when a request changed a membership it was writing. Never shown to a
/// person (the follow-up has no HTTP caller): Lambda retries the step, which reads again.
const STEP_REFUSED: &str = "a membership changed while a follow-up step wrote; the step runs again";

fn refused_step() -> Error {
    Error::Conflict(STEP_REFUSED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn image(value: serde_json::Value) -> serde_dynamo::Item {
        serde_dynamo::to_item(value).unwrap()
    }

    /// Which new images ask for which follow-up: the filters of the template let only these
    /// through, and the function reads them the same way.
    #[test]
    fn new_images_ask_for_their_followup() {
        let closed = json!({"pk": "BUS#01jdbusiness0000000000000a", "sk": "META", "business_id": "01jdbusiness0000000000000a", "status": "closed"});
        assert_eq!(
            followup_of(image(closed)),
            Some(Followup::EndMemberships {
                business_id: BusinessId::parse("01jdbusiness0000000000000a").unwrap()
            })
        );
        let open = json!({"pk": "BUS#01jdbusiness0000000000000a", "sk": "META", "business_id": "01jdbusiness0000000000000a", "status": "authorized"});
        assert_eq!(followup_of(image(open)), None);
        let moving = json!({"pk": "CRED#sign-in-partner#new", "sk": "USER", "urn": "1234567894",
            "idp": "sign-in-partner", "sub": "new", "moving_from": {"idp": "gckey", "sub": "old"}});
        assert_eq!(
            followup_of(image(moving)),
            Some(Followup::MoveMemberships {
                urn: Urn::parse("1234567894").unwrap(),
                from: CredentialId::new(Idp::GcKey, "old").unwrap(),
                to: CredentialId::new(Idp::SignInPartner, "new").unwrap(),
            })
        );
        let settled = json!({"pk": "CRED#gckey#u", "sk": "USER", "urn": "1234567894",
            "idp": "gckey", "sub": "u"});
        assert_eq!(followup_of(image(settled)), None);
        let member = json!({"pk": "BUS#01jdbusiness0000000000000a", "sk": "MEMBER#1234567894", "status": "closed"});
        assert_eq!(followup_of(image(member)), None);
        assert_eq!(followup_of(image(json!({"pk": "x"}))), None);
        let tell = json!({"pk": "TELL#t1", "sk": "TELL", "tell_id": "t1", "after": "1234567894",
            "business_id": "01jdbusiness0000000000000a"});
        assert_eq!(
            followup_of(image(tell)),
            Some(Followup::TellMembers {
                tell_id: "t1".into(),
                after: "1234567894".into(),
            })
        );
    }
}
