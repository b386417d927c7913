//! POST /businesses: identifier + shared secret → business account, caller its owner.
use shared::{domain::commands::Activation, http::Reply, usecases::business, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_idempotent(
        Needs::API_WITH_PEPPER,
        shared::lambda::own_answer,
        |app, caller, request| async move {
            let activation = Activation::try_from(&request)?;
            Reply::created(&business::activate(app, &caller, activation).await?)
        },
    )
    .await
}
