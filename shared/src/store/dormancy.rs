//! The index by day of the user accounts' last activity (GSI1 `ACTIVE#{day}`), read by the
//! dormancy sweep one day at a time: never a scan.

use super::dynamo::{from_item, DynamoStore};
use super::keys;
use crate::domain::user::User;
use crate::error::Result;

/// Accounts read per Query page.
const PAGE: i32 = 100;

impl DynamoStore {
    /// Every user account last active on `day` and not retired (the index is eventually
    /// consistent: each write the sweep makes checks the account is still as read).
    pub async fn last_active_on(&self, day: i64) -> Result<Vec<User>> {
        let mut users = Vec::new();
        let mut start = None;
        loop {
            let (items, last) = self
                .query_page(keys::active(day), Some(keys::GSI1), PAGE, false, start)
                .await?;
            for item in items {
                users.push(from_item::<User>(item)?);
            }
            match last {
                Some(next) => start = Some(next),
                None => return Ok(users),
            }
        }
    }
}
