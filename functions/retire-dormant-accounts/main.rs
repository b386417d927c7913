//! retire-dormant-accounts (EventBridge schedule, daily): warns the accounts that go unused
//! for two years in 30 days, and retires those that did.
use serde_json::Value;
use shared::{usecases::dormancy, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_events(Needs::TABLE_ONLY, |app, _schedule: Value| async move {
        dormancy::sweep(app).await
    })
    .await
}
