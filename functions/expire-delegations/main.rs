//! expire-delegations (EventBridge schedule, daily): records as expired the open delegations
//! whose end day has passed, read by day from GSI1.
use serde_json::Value;
use shared::{usecases::delegations, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_events(Needs::TABLE_ONLY, |app, _schedule: Value| async move {
        delegations::expire_due(app).await
    })
    .await
}
