//! POST /agency/letters/{letter_id}/mailed: the letter is in the mail.
use shared::{
    http::{path_param, Reply},
    usecases::secrets,
    Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let letter_id = secrets::parse_letter_id(path_param(&request, "letter_id").as_deref())?;
        secrets::mark_letter_mailed(app, &caller, &letter_id).await?;
        Reply::ok(&serde_json::json!({ "letter_id": letter_id, "status": "mailed" }))
    })
    .await
}
