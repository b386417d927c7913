//! POST /agency/letters/{letter_id}/mailed: the letter is in the mail.
use shared::{
    http::{path_param, Reply},
    usecases::secrets,
    Error, Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let letter_id =
            path_param(&request, "letter_id").ok_or(Error::NotFound("No such letter."))?;
        secrets::mark_letter_mailed(app, &caller, &letter_id).await?;
        Reply::ok(&serde_json::json!({ "letter_id": letter_id, "status": "mailed" }))
    })
    .await
}
