//! retry-notices (EventBridge schedule): sends the outbox's pending notices that are due.
use shared::{notify::outbox, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::app::serve_scheduled(Needs::SCHEDULED_WITH_PEPPER, |app| async move {
        outbox::retry_due(&app.store, &app.mailer, app.pepper().ok()).await
    })
    .await
}
