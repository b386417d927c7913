//! POST /users: a credential with no user account creates one and gets its URN.
use shared::{domain::NewUser, http::Reply, usecases::users, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::lambda::serve_idempotent(
        Needs::API_WITH_PEPPER,
        shared::lambda::own_answer,
        |app, caller, request| async move {
            let new_user = NewUser::try_from(&request)?;
            Reply::created(&users::create_user(app, &caller, new_user).await?)
        },
    )
    .await
}
