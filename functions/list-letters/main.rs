//! GET /agency/letters?status=pending: activation-code letters waiting to be mailed.
use shared::{
    http::{query_param, Reply},
    usecases::secrets,
    Error, Needs,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        if query_param(&request, "status").is_some_and(|s| s != "pending") {
            return Err(Error::invalid("status", "only pending letters are listed"));
        }
        Reply::ok(&secrets::pending_letters(app, &caller).await?)
    })
    .await
}
