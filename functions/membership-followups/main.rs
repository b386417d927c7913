//! membership-followups (the table's DynamoDB stream, filtered to closed businesses and to
//! accounts still moving from another credential): one bounded step of ending, or moving, the
//! memberships (and, for a closed business, the delegations) the request could not fit in its
//! transaction.
use shared::{notify::outbox, usecases::followups, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_events(
        Needs::TABLE_ONLY,
        |app, event: outbox::StreamEvent| async move { followups::run(app, event).await },
    )
    .await
}
