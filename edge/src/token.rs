//! Visitor tokens: `v1.<site_id>.<conversation_id>.<signature>`, where the signature is
//! HMAC-SHA256 over the first three parts with the site's secret, base64url without padding.
//!
//! A token binds a visitor to one conversation of one site. It travels as a bearer token (HTTP
//! `Authorization` header, or the WebSocket subprotocol list), never in a URL. Pure code: tested
//! natively. Also the random part of the ids the edge makes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::{EdgeError, EdgeResult};

const VERSION: &str = "v1";

/// What a valid visitor token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitorClaims {
    /// The site.
    pub site_id: String,
    /// The visitor's conversation on that site.
    pub conversation_id: String,
}

/// Signs a token for `conversation_id` on `site_id`.
pub fn sign(secret: &str, site_id: &str, conversation_id: &str) -> String {
    let payload = format!("{VERSION}.{site_id}.{conversation_id}");
    let sig = URL_SAFE_NO_PAD.encode(mac(secret, &payload));
    format!("{payload}.{sig}")
}

/// The site a token claims, read without checking it (to find the secret to check it with).
pub fn claimed_site(token: &str) -> Option<&str> {
    let mut parts = token.split('.');
    (parts.next() == Some(VERSION)).then_some(())?;
    parts.next().filter(|s| !s.is_empty())
}

/// Checks a token against the site's secret. `None` for anything malformed or forged.
pub fn verify(secret: &str, token: &str) -> Option<VisitorClaims> {
    let parts: Vec<&str> = token.split('.').collect();
    let [version, site_id, conversation_id, sig] = parts.as_slice() else {
        return None;
    };
    if *version != VERSION || site_id.is_empty() || conversation_id.is_empty() {
        return None;
    }
    let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
    let mut m = keyed(secret);
    m.update(format!("{version}.{site_id}.{conversation_id}").as_bytes());
    // verify_slice compares in constant time.
    m.verify_slice(&sig).ok()?;
    Some(VisitorClaims {
        site_id: (*site_id).to_owned(),
        conversation_id: (*conversation_id).to_owned(),
    })
}

/// Hex SHA-256 of a secret, as stored for agent tokens (the token itself is never stored).
pub fn sha256_hex(value: &str) -> String {
    Sha256::digest(value.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `hash` (hex) is HMAC-SHA256 keyed with the site secret over the user id `id`.
/// Compared in constant time.
pub fn identity_matches(secret: &str, id: &str, hash: &str) -> bool {
    let Some(expected) = from_hex(hash.trim()) else {
        return false;
    };
    let mut mac = keyed(secret);
    mac.update(id.as_bytes());
    mac.verify_slice(&expected).is_ok()
}

/// Lower- or upper-case hex to bytes; `None` for anything else.
fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => {
                let hi = (*hi as char).to_digit(16)?;
                let lo = (*lo as char).to_digit(16)?;
                Some((hi * 16 + lo) as u8)
            }
            _ => None,
        })
        .collect()
}

fn keyed(secret: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => unreachable_key(),
    }
}

#[cold]
fn unreachable_key() -> Hmac<Sha256> {
    // Hmac::new_from_slice only errors for fixed-size-key MACs; SHA-256 HMAC has none. Fall
    // back to the empty key rather than panic, which would kill the isolate.
    <Hmac<Sha256> as hmac::digest::KeyInit>::new(&Default::default())
}

fn mac(secret: &str, payload: &str) -> Vec<u8> {
    let mut m = keyed(secret);
    m.update(payload.as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// 20 random characters of [A-Za-z0-9_-] (base64url of 15 bytes): part of a valid id.
pub fn random_id() -> EdgeResult<String> {
    let mut bytes = [0u8; 15];
    getrandom::getrandom(&mut bytes).map_err(|e| EdgeError::internal("random", e))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_hashes_are_checked() {
        let fox = "The quick brown fox jumps over the lazy dog";
        let good = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
        assert!(identity_matches("key", fox, good));
        assert!(identity_matches("key", fox, &good.to_uppercase()));
        assert!(!identity_matches("key2", fox, good));
        assert!(!identity_matches("key", "other", good));
        assert!(!identity_matches("key", fox, &good[..62]));
        assert!(!identity_matches("key", fox, ""));
        assert!(!identity_matches("key", fox, &good.replace('f', "g")));
    }

    #[test]
    fn a_signed_token_verifies_and_names_its_conversation() {
        let t = sign("s3cret", "demo", "cv_abc");
        assert!(t.starts_with("v1.demo.cv_abc."));
        assert_eq!(claimed_site(&t), Some("demo"));
        assert_eq!(
            verify("s3cret", &t),
            Some(VisitorClaims {
                site_id: "demo".into(),
                conversation_id: "cv_abc".into()
            })
        );
    }

    #[test]
    fn forged_or_mangled_tokens_are_refused() {
        let t = sign("s3cret", "demo", "cv_abc");
        assert_eq!(verify("other", &t), None, "another site's secret");
        let swapped = t.replace("cv_abc", "cv_xyz");
        assert_eq!(verify("s3cret", &swapped), None, "conversation swapped");
        let (head, sig) = t.rsplit_once('.').unwrap();
        let mut bad = sig.to_owned();
        bad.replace_range(0..1, if sig.starts_with('A') { "B" } else { "A" });
        assert_eq!(
            verify("s3cret", &format!("{head}.{bad}")),
            None,
            "signature changed"
        );
        for junk in [
            "",
            "v1",
            "v1.demo.cv_abc",
            "v2.demo.cv_abc.x",
            "v1..cv.x",
            "v1.demo.cv.!!!",
        ] {
            assert_eq!(verify("s3cret", junk), None, "{junk:?}");
        }
        assert_eq!(claimed_site("v2.demo.cv.x"), None);
    }

    #[test]
    fn agent_token_hashes_are_stable_hex() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
