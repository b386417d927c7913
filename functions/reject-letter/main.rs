//! POST /agency/letters/{letter_id}/reject: a letter in review is withdrawn; its code never
//! works.
use shared::{domain::commands::LetterRejection, http::Reply, usecases::secrets, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let rejection = LetterRejection::try_from(&request)?;
        let letter_id = rejection.letter_id.clone();
        secrets::reject_letter(app, &caller, rejection).await?;
        Reply::ok(&serde_json::json!({ "letter_id": letter_id, "status": "withdrawn" }))
    })
    .await
}
