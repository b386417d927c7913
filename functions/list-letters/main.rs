//! GET /agency/letters?status=review|pending|mailed|withdrawn&cursor=: a page of letters, or
//! ?program=&identifier= / ?business_number=: one business's letters (agency officers);
//! reading pending codes is in the agency audit.
use shared::{domain::commands::LettersQuery, http::Reply, usecases::secrets, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        let query = LettersQuery::try_from(&request)?;
        Reply::ok(&secrets::letters_page(app, &caller, query).await?)
    })
    .await
}
