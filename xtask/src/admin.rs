//! `cargo xtask create-admin`: a site's first admin account, hashed here exactly as the edge's
//! WebCrypto PBKDF2 does, written to the local dev database or (`--remote`) the deployed one.

use std::io::{self, BufRead};
use std::process::Command;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::Sha256;

use crate::harness::{edge_dir, node_bin, repo_root, run_checked, wrangler_env};

/// The edge's iteration count (the most Workers allow).
const ITERATIONS: u32 = 100_000;

/// PBKDF2-HMAC-SHA256 with one 32-byte block, as WebCrypto `deriveBits(…, 256)`.
pub fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out);
    out
}

/// The stored form the edge reads: `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`.
pub fn stored_password(password: &str, salt: &[u8]) -> String {
    let hash = pbkdf2_sha256(password.as_bytes(), salt, ITERATIONS);
    format!(
        "pbkdf2-sha256${ITERATIONS}${}${}",
        STANDARD.encode(salt),
        STANDARD.encode(hash)
    )
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The statement that creates (or replaces) the admin.
pub fn insert_admin(site: &str, id: &str, email: &str, name: &str, stored: &str) -> String {
    format!(
        "INSERT OR REPLACE INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at) \
         VALUES ({}, {}, {}, {}, 'admin', '[]', 3, {}, 0)",
        sql_text(site),
        sql_text(id),
        sql_text(&email.trim().to_ascii_lowercase()),
        sql_text(name),
        sql_text(stored)
    )
}

/// Parses `--site S --email E --name N [--remote | --persist-to DIR]`; the password comes from
/// `PORCHLIGHT_ADMIN_PASSWORD` or one line of standard input, never from the command line.
pub fn run(args: &[String]) -> io::Result<()> {
    let value = |flag: &str| -> io::Result<String> {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("missing {flag} <value>"),
                )
            })
    };
    let site = value("--site")?;
    let email = value("--email")?;
    let name = value("--name")?;
    let remote = args.iter().any(|a| a == "--remote");
    let password = match std::env::var("PORCHLIGHT_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("password (one line on standard input):");
            let mut line = String::new();
            io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    if password.chars().count() < 10 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the password must be at least 10 characters",
        ));
    }
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(io::Error::other)?;
    let id: String = email
        .split('@')
        .next()
        .unwrap_or("admin")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(24)
        .collect();
    let statement = insert_admin(
        &site,
        &id,
        &email,
        &name,
        &stored_password(&password, &salt),
    );
    let mut cmd = Command::new(node_bin("wrangler")?);
    cmd.current_dir(edge_dir())
        .args(["d1", "execute", "DB", "--command", &statement]);
    if remote {
        cmd.arg("--remote");
    } else {
        let state = value("--persist-to")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| repo_root().join(".wrangler/dev-state"));
        cmd.args(["--local", "--persist-to"])
            .arg(std::path::absolute(state)?);
    }
    wrangler_env(&mut cmd);
    run_checked(&mut cmd)?;
    println!("admin {email} ({id}) created on site {site}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_known_pbkdf2_answer() {
        // RFC 7914 §11 test vector for PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1).
        let out = pbkdf2_sha256(b"passwd", b"salt", 1);
        assert_eq!(out[..8], [0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f]);
        // And the demo seed, hashed independently with Python's hashlib.
        assert_eq!(
            stored_password("porchlight-admin", b"demo-salt-admin1"),
            "pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A="
        );
    }

    #[test]
    fn quotes_are_escaped() {
        let sql = insert_admin("demo", "o", "O'Brien@X.test", "Ann O'Brien", "h");
        assert!(sql.contains("'o''brien@x.test'"), "{sql}");
        assert!(sql.contains("'Ann O''Brien'"));
    }
}
