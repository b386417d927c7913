//! The outbox: a notice's item, and the sharded index of the notices still to send.

use super::{Key, Keyed};
use crate::domain::notice::Notice;

pub const NOTICE_SK: &str = "NOTICE";

pub fn notice(id: &str) -> String {
    format!("NOTICE#{id}")
}

/// Shards of the pending-notices index. One GSI partition takes ~1 000 writes/s and each
/// notice writes it about four times, so one partition would cap the whole portal near 250
/// notices/s (SCALE.md); ten spread a mass mailing over ten. The retry run reads all ten.
pub const NOTICE_SHARDS: u32 = 10;

/// GSI1 partition of notices still to send (sparse: removed once sent), shard `shard`.
pub fn notices_pending(shard: u32) -> String {
    format!("NOTICES#pending#{shard}")
}

/// The pending-notices partition a notice's id falls in: FNV-1a of the id, so the same
/// notice always lands in the same shard and ids (random) spread evenly.
pub fn notice_shard(id: &str) -> u32 {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % u64::from(NOTICE_SHARDS)) as u32
}

/// The unsharded partition notices were written to before the shards: the retry run still
/// reads it, so none written before an upgrade is left behind.
pub const NOTICES_PENDING_UNSHARDED: &str = "NOTICES#pending";

impl Keyed for Notice {
    fn key(&self) -> Key {
        Key::new(notice(&self.id), NOTICE_SK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Notices spread evenly over the shards, and a notice always lands in the same one.
    #[test]
    fn notices_spread_over_every_shard() {
        let ids: Vec<String> = (0..5_000)
            .map(|_| crate::clock::Fresh::draw().unwrap().id())
            .collect();
        let mut per_shard = [0_u32; NOTICE_SHARDS as usize];
        for id in &ids {
            per_shard[notice_shard(id) as usize] += 1;
            assert_eq!(notice_shard(id), notice_shard(id));
        }
        // 500 expected each; ±30 % is far outside chance (σ ≈ 21).
        for (shard, count) in per_shard.iter().enumerate() {
            assert!(
                (350..=650).contains(count),
                "shard {shard}: {count} of 5000"
            );
        }
        // (id, shard) pinned: a change of the hash would strand pending notices in shards
        // the retry run no longer reads for them.
        for (id, shard) in [
            ("", 7),
            ("01jdnotice0000000000000000", 4),
            ("01JDN0T1CE", 9),
        ] {
            assert_eq!(notice_shard(id), shard);
        }
        assert_eq!(notices_pending(3), "NOTICES#pending#3");
    }
}
