//! The key ring in the delegation signing secret: which key signs, which keys are published,
//! and what a rotation adds. Pure rules on the secret's value; the keys themselves are made in
//! `signing.rs`.
//!
//! The secret holds either the first format, one seed (a plain string: one key, signing since
//! ever), or a ring: `{"keys": [{"seed": "…", "signs_from": 1764120000}, …]}`. A key signs from
//! its `signs_from` until the next key's; it stays published until every proof it can have
//! signed has expired (a proof lives at most until its delegation's end day, at most two years
//! after it was signed), then a rotation drops it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The longest a proof lives: its delegation's end day is at most two years from the day it is
/// signed (`rules::delegation::MAX_YEARS`), to the end of that day, leap day included.
pub const PROOF_LIFE_SECONDS: i64 = (2 * 366 + 1) * 86_400;

/// Added to a retired key's publication: a function that loaded the ring before a rotation
/// signs with the previous key until it loads the ring again (`KEYS_MAX_AGE`, minutes); a week
/// covers that with room to spare.
pub const GRACE_SECONDS: i64 = 7 * 86_400;

/// Shortest seed: 32 characters of randomness (the template and the rotation make 64).
const MIN_SEED: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingKey {
    pub seed: String,
    /// When it starts signing (epoch seconds); the first format's key, since ever (0).
    pub signs_from: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ring {
    pub keys: Vec<RingKey>,
}

impl Ring {
    /// The secret's value, in either format.
    pub fn parse(secret: &str) -> Result<Ring> {
        let unusable =
            |why: &str| Error::Unavailable(format!("the delegation signing secret {why}"));
        let ring = match secret.trim_start().starts_with('{') {
            true => serde_json::from_str::<Ring>(secret)
                .map_err(|e| unusable(&format!("is not a key ring: {e}")))?,
            false => Ring {
                keys: vec![RingKey {
                    seed: secret.to_owned(),
                    signs_from: 0,
                }],
            },
        };
        if ring.keys.is_empty() {
            return Err(unusable("holds no key"));
        }
        if ring.keys.iter().any(|k| k.seed.len() < MIN_SEED) {
            return Err(unusable("has a seed shorter than 32 characters"));
        }
        Ok(ring)
    }

    pub fn to_secret(&self) -> String {
        serde_json::to_string(self).expect("a ring serializes")
    }

    /// The index of the key that signs at `now`: the latest whose time has come; if none has
    /// (the only earlier one was dropped: a revoked key), the earliest, so the portal can
    /// always sign.
    pub fn signing_at(&self, now: i64) -> usize {
        let started = (0..self.keys.len())
            .filter(|&i| self.keys[i].signs_from <= now)
            .max_by_key(|&i| self.keys[i].signs_from);
        started.unwrap_or_else(|| {
            (0..self.keys.len())
                .min_by_key(|&i| self.keys[i].signs_from)
                .unwrap_or(0)
        })
    }

    /// When key `i` stops signing: the next key's start (None while it is the newest).
    fn signs_until(&self, i: usize) -> Option<i64> {
        let from = self.keys[i].signs_from;
        self.keys
            .iter()
            .map(|k| k.signs_from)
            .filter(|&t| t > from)
            .min()
    }

    /// Whether key `i` is published at `now`: a key about to sign (so verifiers have it before
    /// its first proof), the signing key, and a retired key until the last proof it can have
    /// signed has expired.
    pub fn published_at(&self, i: usize, now: i64) -> bool {
        match self.signs_until(i) {
            None => true,
            Some(until) => now < until + PROOF_LIFE_SECONDS + GRACE_SECONDS,
        }
    }

    /// The ring after a rotation at `now`: a new key that signs from `now + delay` (by then
    /// every function has loaded the ring that publishes it), the earlier keys kept while
    /// they are published, the ones past their publication dropped.
    pub fn rotated(&self, seed: String, now: i64, delay: i64) -> Ring {
        let mut next = self.clone();
        next.keys.push(RingKey {
            seed,
            signs_from: now + delay,
        });
        let keep: Vec<bool> = (0..next.keys.len())
            .map(|i| next.published_at(i, now + delay))
            .collect();
        let mut kept = keep.into_iter();
        next.keys.retain(|_| kept.next().unwrap_or(true));
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    const T0: i64 = 1_764_000_000;

    fn key(name: char, signs_from: i64) -> RingKey {
        RingKey {
            seed: name.to_string().repeat(64),
            signs_from,
        }
    }

    fn ring(keys: &[RingKey]) -> Ring {
        Ring {
            keys: keys.to_vec(),
        }
    }

    fn names(r: &Ring, which: impl Fn(usize) -> bool) -> String {
        (0..r.keys.len())
            .filter(|&i| which(i))
            .map(|i| &r.keys[i].seed[..1])
            .collect()
    }

    #[test]
    fn parsing_both_formats() {
        let legacy = "a".repeat(64);
        let cases: Vec<(String, Option<Ring>)> = vec![
            (legacy.clone(), Some(ring(&[key('a', 0)]))),
            (
                ring(&[key('a', 0), key('b', T0)]).to_secret(),
                Some(ring(&[key('a', 0), key('b', T0)])),
            ),
            ("short".into(), None),
            (r#"{"keys": []}"#.into(), None),
            (
                r#"{"keys": [{"seed": "short", "signs_from": 0}]}"#.into(),
                None,
            ),
            (r#"{"keys": "#.into(), None),
            (r#"{"seeds": []}"#.into(), None),
        ];
        for (secret, expected) in cases {
            assert_eq!(Ring::parse(&secret).ok(), expected, "{secret}");
        }
    }

    #[test]
    fn which_key_signs_and_which_are_published() {
        let after_rotation = ring(&[key('a', 0), key('b', T0)]);
        let revoked_current = ring(&[key('b', T0)]);
        let two_rotations = ring(&[key('a', 0), key('b', T0), key('c', T0 + 90 * DAY)]);
        let window = PROOF_LIFE_SECONDS + GRACE_SECONDS;
        // (ring, now, the signing key, the published keys)
        let cases = [
            (ring(&[key('a', 0)]), T0, "a", "a"),
            (after_rotation.clone(), T0 - 1, "a", "ab"),
            (after_rotation.clone(), T0, "b", "ab"),
            (after_rotation.clone(), T0 + window - 1, "b", "ab"),
            (after_rotation.clone(), T0 + window, "b", "b"),
            (revoked_current, T0 - DAY, "b", "b"),
            (two_rotations.clone(), T0 + 90 * DAY, "c", "abc"),
            (two_rotations.clone(), T0 + window, "c", "bc"),
            (two_rotations, T0 + 90 * DAY + window, "c", "c"),
        ];
        for (r, now, signs, published) in cases {
            assert_eq!(
                names(&r, |i| i == r.signing_at(now)),
                signs,
                "signs at {now}"
            );
            assert_eq!(
                names(&r, |i| r.published_at(i, now)),
                published,
                "published at {now}"
            );
        }
    }

    #[test]
    fn a_rotation_adds_a_key_keeps_the_published_and_drops_the_rest() {
        let window = PROOF_LIFE_SECONDS + GRACE_SECONDS;
        let new = || "n".repeat(64);
        // (ring, now, delay, the ring's keys after)
        let cases = [
            (
                ring(&[key('a', 0)]),
                T0,
                600,
                vec![key('a', 0), key('n', T0 + 600)],
            ),
            (
                ring(&[key('a', 0), key('b', T0)]),
                T0 + 90 * DAY,
                0,
                vec![key('a', 0), key('b', T0), key('n', T0 + 90 * DAY)],
            ),
            (
                ring(&[key('a', 0), key('b', T0)]),
                T0 + window,
                0,
                vec![key('b', T0), key('n', T0 + window)],
            ),
        ];
        for (r, now, delay, expected) in cases {
            let next = r.rotated(new(), now, delay);
            assert_eq!(next.keys, expected, "rotated at {now}");
            assert_eq!(Ring::parse(&next.to_secret()).unwrap(), next);
            // Until the new key's time, the previous one still signs.
            let before = next.signing_at(now + delay - 1);
            assert_ne!(next.keys[before].seed, new());
            assert_eq!(next.keys[next.signing_at(now + delay)].seed, new());
        }
    }
}
