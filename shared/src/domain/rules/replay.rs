//! `Idempotency-Key`: a creating request repeated with the same key within a day gets the first
//! answer again, and its change happens once. Whoever sends a key first claims it; a repeat
//! finds the claim, and this rule says what the repeat gets.

/// How long a key is remembered.
pub const KEEP_SECS: i64 = 24 * 3600;
/// A claim older than this whose request never finished (its function died, or the store went
/// away before the claim could be released) may be claimed again: functions time out at 10 s.
pub const STALE_CLAIM_SECS: i64 = 60;

/// A key being claimed by a request, `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// What makes two requests "the same" (method, path and body, hashed).
    pub fingerprint: String,
    pub claimed_at: i64,
    /// Forgotten after this; released (a failed request) by moving it to the past.
    pub expires_at: i64,
}

impl Claim {
    pub fn new(fingerprint: String, now: i64) -> Self {
        Self {
            fingerprint,
            claimed_at: now,
            expires_at: now + KEEP_SECS,
        }
    }

    /// A claim made before this, and never completed, may be taken over.
    pub fn stale_before(&self) -> i64 {
        self.claimed_at - STALE_CLAIM_SECS
    }
}

/// What a key holds: its claim, and the first request's answer once it completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub claim: Claim,
    pub answer: Option<Answer>,
}

/// The first request's answer, sealed (it may hold a shared secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub sealed_body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// Nobody holds the key: this request claims it and runs.
    Claim,
    /// The same request completed: its answer again.
    Answer(Answer),
    /// The same request is still running (or died within the last minute): retry then.
    InProgress { retry_after_secs: u64 },
    /// The key was sent with another request: a client's mistake (422).
    KeyReused,
}

/// What a request with `fingerprint` gets for a key that holds `kept`, `now`. The store's claim
/// writes only where this says `Claim` (`store::idempotency` states the same in DynamoDB's
/// terms), so a repeat is decided here once the claim is refused.
pub fn decide(kept: Option<&Kept>, fingerprint: &str, now: i64) -> Replay {
    let Some(kept) = kept else {
        return Replay::Claim;
    };
    let claim = &kept.claim;
    // Expired (DynamoDB sweeps it some time later) or released: the key is free again.
    if claim.expires_at < now {
        return Replay::Claim;
    }
    let stale_before = now - STALE_CLAIM_SECS;
    if kept.answer.is_none() && claim.claimed_at < stale_before {
        return Replay::Claim;
    }
    if claim.fingerprint != fingerprint {
        return Replay::KeyReused;
    }
    match &kept.answer {
        Some(answer) => Replay::Answer(answer.clone()),
        // Until the claim goes stale and may be claimed again.
        None => Replay::InProgress {
            retry_after_secs: (claim.claimed_at + STALE_CLAIM_SECS - now).clamp(1, STALE_CLAIM_SECS)
                as u64,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000;

    fn kept(fingerprint: &str, claimed_at: i64, expires_at: i64, completed: bool) -> Kept {
        Kept {
            claim: Claim {
                fingerprint: fingerprint.into(),
                claimed_at,
                expires_at,
            },
            answer: completed.then(answer),
        }
    }

    fn answer() -> Answer {
        Answer {
            status: 201,
            sealed_body: "sealed".into(),
        }
    }

    #[test]
    fn replay_table() {
        let day = NOW + KEEP_SECS;
        let cases = [
            ("no record", None, Replay::Claim),
            (
                "expired record",
                Some(kept("same", NOW - KEEP_SECS - 1, NOW - 1, true)),
                Replay::Claim,
            ),
            (
                "released after a failure",
                Some(kept("same", NOW - 5, 0, false)),
                Replay::Claim,
            ),
            (
                "stale claim, never completed",
                Some(kept("same", NOW - STALE_CLAIM_SECS - 1, day, false)),
                Replay::Claim,
            ),
            (
                "stale claim of another request",
                Some(kept("other", NOW - STALE_CLAIM_SECS - 1, day, false)),
                Replay::Claim,
            ),
            (
                "same request, completed long ago",
                Some(kept("same", NOW - 3600, day - 3600, true)),
                Replay::Answer(answer()),
            ),
            (
                "same request, in progress for 10 s",
                Some(kept("same", NOW - 10, day, false)),
                Replay::InProgress {
                    retry_after_secs: 50,
                },
            ),
            (
                "same request, claimed this second",
                Some(kept("same", NOW, day, false)),
                Replay::InProgress {
                    retry_after_secs: 60,
                },
            ),
            (
                "same request, stale this very second",
                Some(kept("same", NOW - STALE_CLAIM_SECS, day, false)),
                Replay::InProgress {
                    retry_after_secs: 1,
                },
            ),
            (
                "another request, completed",
                Some(kept("other", NOW - 3600, day, true)),
                Replay::KeyReused,
            ),
            (
                "another request, in progress",
                Some(kept("other", NOW - 10, day, false)),
                Replay::KeyReused,
            ),
        ];
        for (name, kept, expected) in cases {
            assert_eq!(decide(kept.as_ref(), "same", NOW), expected, "{name}");
        }
    }

    #[test]
    fn a_claim_is_kept_a_day_and_goes_stale_after_a_minute() {
        let claim = Claim::new("f".into(), NOW);
        assert_eq!(claim.expires_at, NOW + 86_400);
        assert_eq!(claim.stale_before(), NOW - 60);
        // A fresh claim, as the store keeps it, holds the key against the same request.
        let kept = Kept {
            claim,
            answer: None,
        };
        assert_eq!(
            decide(Some(&kept), "f", NOW + 59),
            Replay::InProgress {
                retry_after_secs: 1
            }
        );
        assert_eq!(decide(Some(&kept), "f", NOW + 61), Replay::Claim);
    }
}
