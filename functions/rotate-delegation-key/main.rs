//! Secrets Manager's rotation of the delegation proof signing key (every 90 days, or when an
//! operator asks): one of the four steps per invocation (shared::usecases::key_rotation).
use shared::{usecases::key_rotation, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_events(Needs::TABLE_ONLY, |app, event| {
        key_rotation::rotate(app, event)
    })
    .await
}
