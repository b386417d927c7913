//! POST /agency/letters/{letter_id}/approve: a letter in review waits to be mailed.
use shared::{domain::commands::LetterApproval, http::Reply, usecases::secrets, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let approval = LetterApproval::try_from(&request)?;
        let letter_id = approval.letter_id.clone();
        secrets::approve_letter(app, &caller, approval).await?;
        Reply::ok(&serde_json::json!({ "letter_id": letter_id, "status": "pending" }))
    })
    .await
}
