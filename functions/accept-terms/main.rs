//! POST /businesses/{id}/terms: the owner accepts the program's terms → authorized.
use shared::{domain::commands::TermsAcceptance, http::Reply, usecases::business, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let terms = TermsAcceptance::try_from(&request)?;
        Reply::ok(&business::accept_terms(app, &caller, terms).await?)
    })
    .await
}
