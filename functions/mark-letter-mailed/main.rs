//! POST /agency/letters/{letter_id}/mailed: the letter is in the mail.
use shared::{domain::LetterId, http::Reply, usecases::secrets, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let letter_id = LetterId::try_from(&request)?;
        secrets::mark_letter_mailed(app, &caller, &letter_id).await?;
        Reply::ok(&serde_json::json!({ "letter_id": letter_id, "status": "mailed" }))
    })
    .await
}
