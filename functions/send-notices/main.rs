//! send-notices (the table's DynamoDB stream, filtered to new notices): sends each notice a
//! request wrote to the outbox.
use shared::{notify::outbox, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_events(
        Needs::NOTICE_SENDER,
        |app, event: outbox::StreamEvent| async move {
            outbox::send_new(&app.store, app.mailer()?, app.pepper().ok(), event).await
        },
    )
    .await
}
