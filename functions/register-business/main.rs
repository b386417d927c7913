//! POST /registrations: a TTP applicant registers and an activation-code letter is queued.
use shared::{domain::commands::RegistrationOrder, http::Reply, usecases::secrets, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_idempotent(
        Needs::API_WITH_PEPPER,
        shared::lambda::own_answer,
        |app, caller, request| async move {
            let order = RegistrationOrder::try_from(&request)?;
            Reply::accepted(&secrets::register(app, &caller, order).await?)
        },
    )
    .await
}
