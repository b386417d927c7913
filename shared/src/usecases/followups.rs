//! Follow-ups: what closing a business (its memberships and its delegations), claiming a credential transfer and recovering a
//! business's ownership (telling every member) leave for after the request. One DynamoDB transaction holds at most 100 items, so the request ends (or moves) a
//! bounded first chunk of memberships in its own transaction, and `membership-followups`,
//! brought by the table's stream, does the rest in bounded steps (the store side, and why each
//! write is safe to repeat: `store::followups`).
//!
//! Nobody sees the difference meanwhile: every access check refuses a closed business, and
//! `GET /users/me/businesses` lists no membership of one; a membership left under the old
//! credential of a claim is refused there (that credential has no user account of that URN),
//! and the claim answers only once the first chunk moved. What the new credential does not see
//! yet is the rest of its memberships, for as long as the follow-up takes (well under a second
//! locally; a step per stream delivery in AWS).

use serde::Serialize;

use crate::app::App;

use crate::clock::Fresh;
use crate::domain::rules::business::CLOSE_FIRST_CHUNK;
use crate::domain::rules::credential_transfer::{CLAIM_FIRST_ACTING, CLAIM_FIRST_CHUNK};
use crate::domain::rules::recovery;
use crate::domain::BusinessId;
use crate::error::Result;
use crate::notify::outbox::StreamEvent;
use crate::store::followups::{followup_of, Followup, ITEMS_TO_END, ITEMS_TO_MOVE, MAX_TX_ITEMS};
use crate::store::DynamoStore;
use crate::usecases::delegations;

/// Items the close transaction writes besides the memberships.
const CLOSE_OWN_ITEMS: usize = 3;
/// Items the claim transaction writes besides the memberships.
const CLAIM_OWN_ITEMS: usize = 5;
/// Memberships one follow-up step ends: one Query and two transactions of 50 pairs, a fraction
/// of a second; a step that fails is redone whole, so it is kept to a few writes.
pub const END_STEP: usize = 100;
/// Memberships one follow-up step moves: one Query, one BatchGetItem of their business sides,
/// and one transaction of at most 90 items.
pub const MOVE_STEP: usize = 30;
/// Sides of delegations one follow-up step moves (2 items each, in one transaction).
pub const ACTING_STEP: usize = 40;
/// Members one follow-up step tells of an owner recovery: one Query, one BatchGetItem of their
/// URNs, one transaction of their notices and the record moved on.
pub const TELL_STEP: usize = 40;

const _: () = assert!(CLOSE_FIRST_CHUNK * ITEMS_TO_END + CLOSE_OWN_ITEMS <= MAX_TX_ITEMS);
const _: () = assert!(
    CLAIM_FIRST_CHUNK * ITEMS_TO_MOVE + CLAIM_FIRST_ACTING * 2 + CLAIM_OWN_ITEMS <= MAX_TX_ITEMS
);
const _: () = assert!(ACTING_STEP * 2 <= MAX_TX_ITEMS);
const _: () = assert!(MOVE_STEP * ITEMS_TO_MOVE <= MAX_TX_ITEMS);
// The notices and the record moved on.
const _: () = assert!(TELL_STEP < MAX_TX_ITEMS);

/// What one invocation did (counts only: the stream's log shows them).
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct FollowupSummary {
    /// Records handed over that asked for a follow-up (after removing repeats in the batch).
    pub followups: usize,
    /// Memberships of closed businesses ended (both sides).
    pub ended: usize,
    /// Memberships moved to the account's new credential.
    pub moved: usize,
    /// Memberships under an old credential that were no longer live, deleted.
    pub dropped: usize,
    /// Steps that left work and asked for another.
    pub continued: usize,
    /// Account moves completed.
    pub finished: usize,
    /// Members told of an owner recovery.
    pub told: usize,
    /// Delegations of closed businesses ended (the other side's owner told).
    pub delegations_ended: usize,
}

/// `membership-followups`: one bounded step for each follow-up the event's records ask for.
/// An error (DynamoDB unreachable, or a write refused because a membership changed meanwhile)
/// fails the batch; Lambda hands it over again, and the step redoes what is left.
pub async fn run(app: &App, event: StreamEvent) -> Result<FollowupSummary> {
    let store = &app.store;
    let mut wanted: Vec<Followup> = Vec::new();
    for record in event.records {
        let Some(image) = record.dynamodb.new_image else {
            continue;
        };
        match followup_of(image) {
            Some(followup) if !wanted.contains(&followup) => wanted.push(followup),
            Some(_) => {}
            None => tracing::warn!(
                event = %record.event_name,
                "a stream record that asks for no follow-up; ignored"
            ),
        }
    }
    let mut summary = FollowupSummary {
        followups: wanted.len(),
        ..FollowupSummary::default()
    };
    for followup in wanted {
        match followup {
            Followup::EndMemberships { business_id } => {
                end_step(app, &business_id, &mut summary).await?
            }
            Followup::MoveMemberships { urn, from, to } => {
                move_step(store, &urn, &from, &to, &mut summary).await?
            }
            Followup::TellMembers { tell_id, after } => {
                tell_step(store, &tell_id, &after, &mut summary).await?
            }
        }
    }
    tracing::info!(
        followups = summary.followups,
        ended = summary.ended,
        moved = summary.moved,
        dropped = summary.dropped,
        continued = summary.continued,
        finished = summary.finished,
        told = summary.told,
        delegations_ended = summary.delegations_ended,
        "membership follow-ups"
    );
    Ok(summary)
}

/// Tells at most `TELL_STEP` members of a business of its owner recovery, from the one after
/// `after` (where the record that brought this step stood); moves the record on, or ends it.
/// A record already moved past `after` (a step that ran twice) is left to its own step.
async fn tell_step(
    store: &DynamoStore,
    tell_id: &str,
    after: &str,
    summary: &mut FollowupSummary,
) -> Result<()> {
    let Some(tell) = store
        .members_to_tell(tell_id)
        .await?
        .filter(|t| t.after == after)
    else {
        return Ok(());
    };
    let (members, more) = store.members_after(&tell, TELL_STEP).await?;
    let notices = recovery::tell(&tell, &members, &mut Fresh::draw()?);
    let last = members.last().map(|(m, _)| &m.urn);
    if store.told(&tell, &notices, last, more).await? {
        summary.told += notices.len();
        if more {
            summary.continued += 1;
        }
    }
    Ok(())
}

/// Ends at most `END_STEP` memberships and `delegations::CLOSE_STEP` delegations of a closed
/// business; asks for another step if more are left.
async fn end_step(
    app: &App,
    business_id: &BusinessId,
    summary: &mut FollowupSummary,
) -> Result<()> {
    let store = &app.store;
    let (members, more) = store.members_of(business_id, END_STEP).await?;
    store.end_memberships(&members).await?;
    summary.ended += members.len();
    let (delegations, more_delegations) = delegations::end_for_closed(app, business_id).await?;
    summary.delegations_ended += delegations;
    if (more || more_delegations) && store.next_business_step(business_id).await? {
        summary.continued += 1;
    }
    Ok(())
}

/// Moves at most `MOVE_STEP` memberships of account `urn` from credential `from` to `to`:
/// each whose business side still names `from` is moved; any other (the business closed and
/// its memberships ended, the member removed) is only deleted. Asks for another step if more
/// are left, else ends the move.
async fn move_step(
    store: &DynamoStore,
    urn: &crate::domain::Urn,
    from: &crate::domain::CredentialId,
    to: &crate::domain::CredentialId,
    summary: &mut FollowupSummary,
) -> Result<()> {
    let (memberships, mut more) = store.memberships_left(from, urn, MOVE_STEP).await?;
    let sides = store.business_sides(&memberships).await?;
    let (moves, drops): (Vec<_>, Vec<_>) = memberships
        .into_iter()
        .zip(sides)
        .partition(|(_, side)| side.as_ref().is_some_and(|m| &m.credential == from));
    let moves: Vec<_> = moves.into_iter().map(|(m, _)| m).collect();
    let drops: Vec<_> = drops.into_iter().map(|(m, _)| m).collect();
    store.move_memberships(from, to, &moves, &drops).await?;
    summary.moved += moves.len();
    summary.dropped += drops.len();
    // Then the sides of delegations the person acts under, once the memberships are done
    // (each still checks, when used, that the delegation names them and they are a member).
    if !more {
        let (acting, more_acting) = store.acting_for_left(from, urn, ACTING_STEP).await?;
        store.move_acting_for(&acting, to).await?;
        summary.moved += acting.len();
        more = more_acting;
    }
    if more {
        if store.next_account_step(urn, from, to).await? {
            summary.continued += 1;
        }
    } else if store.finish_account_move(urn, from, to).await? {
        summary.finished += 1;
    }
    Ok(())
}
