//! GET /businesses/{id}/members?limit=&cursor=: owner and proxy. A page of at most 1000
//! members in URN order; a `Link: <…>; rel="next"` header says where the next one is.
use shared::{domain::commands::MembersQuery, http::Reply, usecases::members, Needs};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::serve(Needs::API, |app, request| async move {
        let caller = app.caller(&request)?;
        let query = MembersQuery::try_from(&request)?;
        let page = members::list_members(app, &caller, &query).await?;
        let next = page.next_cursor.map(|cursor| {
            format!(
                "/businesses/{}/members?limit={}&cursor={cursor}",
                query.business_id.as_str(),
                query.limit
            )
        });
        Reply::ok(&page.members).map(|reply| reply.with_next(next))
    })
    .await
}
