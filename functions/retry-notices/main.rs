//! retry-notices (EventBridge schedule): sends the outbox's pending notices that are due.
use serde_json::Value;
use shared::{notify::outbox, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_events(Needs::NOTICE_SENDER, |app, _schedule: Value| async move {
        outbox::retry_due(&app.store, app.mailer()?, app.pepper().ok()).await
    })
    .await
}
