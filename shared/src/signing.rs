//! The keys that sign proofs of delegation (EdDSA, Ed25519), made from the key ring in Secrets
//! Manager (`ring.rs`: which key signs, which are published). Their public halves are published
//! (`GET /.well-known/delegation-keys`) so a third party checks a proof offline; the key id
//! (`kid`) in each proof names the key that signed it.

mod ring;
pub use ring::{Ring, RingKey, GRACE_SECONDS, PROOF_LIFE_SECONDS};

use aws_lc_rs::{digest, signature::Ed25519KeyPair, signature::KeyPair};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{de::DeserializeOwned, Serialize};

use crate::error::{Error, Result};

/// What the seed is derived with, so the secret's value is never itself a key used elsewhere.
const SEED_CONTEXT: &[u8] = b"trade-portal delegation proof signing key v1\0";

/// One key of the ring.
pub struct ProofSigner {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    public: Vec<u8>,
}

impl ProofSigner {
    /// From the secret's value (at least 32 characters of randomness: the template generates 64).
    pub fn new(secret: &str) -> Result<Self> {
        if secret.len() < 32 {
            return Err(Error::Unavailable(
                "the delegation signing secret is too short".into(),
            ));
        }
        let mut context = digest::Context::new(&digest::SHA256);
        context.update(SEED_CONTEXT);
        context.update(secret.as_bytes());
        let seed = context.finish();
        let pair = Ed25519KeyPair::from_seed_unchecked(seed.as_ref())
            .map_err(|_| Error::Internal("the delegation signing seed was rejected".into()))?;
        let pkcs8 = pair.to_pkcs8v1().map_err(|_| {
            Error::Internal("the delegation signing key could not be encoded".into())
        })?;
        let public = pair.public_key().as_ref().to_vec();
        let id = digest::digest(&digest::SHA256, &public);
        let kid = format!("dlg-{}", hex(&id.as_ref()[..8]));
        Ok(Self {
            kid,
            encoding: EncodingKey::from_ed_der(pkcs8.as_ref()),
            decoding: DecodingKey::from_ed_der(&public),
            public,
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// A compact JWS of `claims` (header `alg: EdDSA`, `typ: delegation-proof+jwt`, `kid`).
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        header.typ = Some("delegation-proof+jwt".into());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|e| Error::Internal(format!("signing a proof: {e}")))
    }

    /// The claims of a proof this key signed, whatever its expiry (the check route says
    /// whether it still holds); None for anything else.
    pub fn verify<T: DeserializeOwned>(&self, proof: &str) -> Option<T> {
        let header = jsonwebtoken::decode_header(proof).ok()?;
        if header.alg != Algorithm::EdDSA || header.kid.as_deref() != Some(&self.kid) {
            return None;
        }
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode::<T>(proof, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }

    /// Its public key as a JWK (RFC 7517, RFC 8037).
    pub fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "x": base64url(&self.public),
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        })
    }
}

/// Every key of the ring, made once per load of the secret.
pub struct ProofKeys {
    ring: Ring,
    keys: Vec<ProofSigner>,
}

impl ProofKeys {
    /// From the secret's value, in either format (`Ring::parse`).
    pub fn new(secret: &str) -> Result<Self> {
        let ring = Ring::parse(secret)?;
        let keys = ring
            .keys
            .iter()
            .map(|k| ProofSigner::new(&k.seed))
            .collect::<Result<_>>()?;
        Ok(Self { ring, keys })
    }

    /// The key that signs at `now`.
    pub fn signing_at(&self, now: i64) -> &ProofSigner {
        &self.keys[self.ring.signing_at(now)]
    }

    /// The keys published at `now`.
    fn published_at(&self, now: i64) -> impl Iterator<Item = &ProofSigner> {
        (0..self.keys.len())
            .filter(move |&i| self.ring.published_at(i, now))
            .map(|i| &self.keys[i])
    }

    /// The claims of a proof signed by a key published at `now` (the one its `kid` names);
    /// None for anything else, a proof of a dropped (revoked or long retired) key included.
    pub fn verify<T: DeserializeOwned>(&self, proof: &str, now: i64) -> Option<T> {
        let kid = jsonwebtoken::decode_header(proof).ok()?.kid?;
        self.published_at(now)
            .find(|key| key.kid() == kid)?
            .verify(proof)
    }

    /// The published key set at `now` (RFC 7517).
    pub fn jwks(&self, now: i64) -> serde_json::Value {
        let keys: Vec<_> = self.published_at(now).map(ProofSigner::jwk).collect();
        serde_json::json!({ "keys": keys })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Base64url without padding (RFC 4648 §5), as JWKs write key material.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Claims {
        sub: String,
    }

    #[test]
    fn base64url_table() {
        let cases: [(&[u8], &str); 5] = [
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (&[0xfb, 0xff], "-_8"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64url(input), expected);
        }
    }

    #[test]
    fn a_proof_verifies_only_with_its_own_key_and_unchanged() {
        let signer = ProofSigner::new(&"k".repeat(64)).unwrap();
        let other = ProofSigner::new(&"z".repeat(64)).unwrap();
        assert_ne!(signer.kid(), other.kid());
        let claims = Claims { sub: "01jd".into() };
        let proof = signer.sign(&claims).unwrap();
        assert_eq!(signer.verify::<Claims>(&proof), Some(claims));
        assert_eq!(other.verify::<Claims>(&proof), None);
        let mut parts: Vec<&str> = proof.split('.').collect();
        let forged = base64url(br#"{"sub":"01je"}"#);
        parts[1] = &forged;
        assert_eq!(signer.verify::<Claims>(&parts.join(".")), None);
        assert_eq!(signer.verify::<Claims>("not a proof"), None);
        // The same secret makes the same key: every function publishes and checks alike.
        let again = ProofSigner::new(&"k".repeat(64)).unwrap();
        assert_eq!(again.jwk(), signer.jwk());
        assert_eq!(signer.jwk()["x"].as_str().unwrap().len(), 43);
        assert!(ProofSigner::new("short").is_err());
    }

    #[test]
    fn the_ring_signs_with_its_newest_key_and_verifies_by_kid_while_published() {
        let t0 = 1_764_000_000;
        let legacy = "k".repeat(64);
        let before = ProofKeys::new(&legacy).unwrap();
        let ring = Ring::parse(&legacy)
            .unwrap()
            .rotated("n".repeat(64), t0, 60);
        let after = ProofKeys::new(&ring.to_secret()).unwrap();
        let claims = Claims { sub: "01jd".into() };
        let old_proof = before.signing_at(t0).sign(&claims).unwrap();
        let new_proof = after.signing_at(t0 + 60).sign(&claims).unwrap();
        let (old_kid, new_kid) = (before.signing_at(t0).kid(), after.signing_at(t0 + 60).kid());
        assert_ne!(old_kid, new_kid);
        // The same first key in both formats; the previous key still signs until the new one's time.
        assert_eq!(after.signing_at(t0 + 59).kid(), old_kid);
        let retired_until = t0 + 60 + PROOF_LIFE_SECONDS + GRACE_SECONDS;
        // (proof, checked at, verifies, published kids)
        let cases = [
            (&old_proof, t0 + 60, true, vec![old_kid, new_kid]),
            (&new_proof, t0 + 60, true, vec![old_kid, new_kid]),
            (&old_proof, retired_until - 1, true, vec![old_kid, new_kid]),
            (&old_proof, retired_until, false, vec![new_kid]),
            (&new_proof, retired_until, true, vec![new_kid]),
        ];
        for (proof, now, verifies, kids) in cases {
            assert_eq!(
                after.verify::<Claims>(proof, now).is_some(),
                verifies,
                "at {now}"
            );
            let jwks = after.jwks(now);
            let published: Vec<&str> = jwks["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["kid"].as_str().unwrap())
                .collect();
            assert_eq!(published, kids, "at {now}");
        }
        // A proof of a key dropped from the ring (revoked) no longer verifies.
        let revoked = ProofKeys::new(
            &Ring {
                keys: ring.keys[1..].to_vec(),
            }
            .to_secret(),
        )
        .unwrap();
        assert!(revoked.verify::<Claims>(&old_proof, t0 + 60).is_none());
        assert!(revoked.verify::<Claims>(&new_proof, t0 + 60).is_some());
    }
}
