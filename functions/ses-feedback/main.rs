//! ses-feedback (the SES feedback SNS topic): marks an address undeliverable after a permanent
//! bounce or a complaint about a notice the outbox sent; counts transient bounces.
//!
//! Only SNS can invoke it in AWS (its resource policy names the feedback topic as the source),
//! and it takes messages of that topic only (`SES_FEEDBACK_TOPIC_ARN`); the rule then marks an
//! address only for a message SES really took for a notice to that address.
use shared::{notify::feedback::SnsEvent, usecases::email_feedback, Error, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_events(Needs::TABLE_ONLY, |app, event: SnsEvent| async move {
        let topic = app
            .config
            .ses_feedback_topic_arn
            .as_deref()
            .ok_or_else(|| {
                Error::Internal("SES_FEEDBACK_TOPIC_ARN is not set: no feedback is trusted".into())
            })?;
        email_feedback::take_feedback(&app.store, topic, event).await
    })
    .await
}
