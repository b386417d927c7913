//! POST /users/me/email-confirmation: the code sent to the new address makes it the account's e-mail.
use shared::{domain::commands::EmailConfirmation, http::Reply, usecases::users, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API_WITH_PEPPER, |app, request| async move {
        let caller = app.caller(&request)?;
        let confirmation = EmailConfirmation::try_from(&request)?;
        Reply::ok(&users::confirm_email(app, &caller, confirmation).await?)
    })
    .await
}
