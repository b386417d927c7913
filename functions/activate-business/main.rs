//! POST /businesses: identifier + shared secret → business account, caller its owner.
use shared::{http::Reply, usecases::businesses, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        let activation = businesses::parse_activation(request.body())?;
        Reply::created(&businesses::activate(app, &caller, activation).await?)
    })
    .await
}
