//! Console accounts: passwords (PBKDF2-SHA256 through WebCrypto), sessions in an HttpOnly cookie,
//! sign-in throttling, and the D1 rows behind them.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use porchlight_shared::console::{AgentProfile, AgentRole, LoginRequest, Me, SESSION_COOKIE};
use porchlight_shared::{ErrorCode, Millis};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use worker::js_sys::{Array, Object, Reflect, Uint8Array};
use worker::wasm_bindgen::prelude::*;
use worker::wasm_bindgen::JsCast;
use worker::wasm_bindgen_futures::JsFuture;
use worker::{D1Database, Env, Request};

use crate::error::{EdgeError, EdgeResult};
use crate::token::sha256_hex;

/// PBKDF2 iterations: the most the Workers runtime accepts.
pub const ITERATIONS: u32 = 100_000;
/// How long a console session lasts.
const SESSION_MS: Millis = 12 * 3_600_000;
/// Failed sign-ins for one account allowed before each further try has to wait.
const FREE_FAILURES: u32 = 5;
/// Failed sign-ins from one network address, whatever the account, allowed before each further
/// try from it has to wait: guessing across many accounts is slowed down too.
const FREE_FAILURES_PER_ADDRESS: u32 = 50;
/// An address's count starts again after this long without a failure.
const ADDRESS_WINDOW_MS: Millis = 3_600_000;
/// Longest wait between tries.
const MAX_LOCK_MS: Millis = 15 * 60_000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = importKey, catch)]
    fn import_key(
        format: &str,
        key: &Uint8Array,
        algorithm: &str,
        extractable: bool,
        usages: &Array,
    ) -> Result<js_sys_promise::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = deriveBits, catch)]
    fn derive_bits(
        algorithm: &Object,
        key: &JsValue,
        length: u32,
    ) -> Result<js_sys_promise::Promise, JsValue>;
}

mod js_sys_promise {
    pub use worker::js_sys::Promise;
}

/// A stored password: `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPassword {
    /// Iterations.
    pub iterations: u32,
    /// Salt.
    pub salt: Vec<u8>,
    /// Derived key.
    pub hash: Vec<u8>,
}

impl StoredPassword {
    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<StoredPassword> {
        let mut parts = s.split('$');
        if parts.next()? != "pbkdf2-sha256" {
            return None;
        }
        let iterations = parts.next()?.parse().ok()?;
        let salt = STANDARD.decode(parts.next()?).ok()?;
        let hash = STANDARD.decode(parts.next()?).ok()?;
        if parts.next().is_some() || hash.len() != 32 || salt.is_empty() {
            return None;
        }
        Some(StoredPassword {
            iterations,
            salt,
            hash,
        })
    }

    /// The stored form.
    pub fn encode(&self) -> String {
        format!(
            "pbkdf2-sha256${}${}${}",
            self.iterations,
            STANDARD.encode(&self.salt),
            STANDARD.encode(&self.hash)
        )
    }
}

/// Compares in constant time (`subtle`); slices of different lengths are unequal.
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// How long the next sign-in must wait after `failures` failures (`free` of them without a
/// wait), the last at `last_at`; 0 when it may try now.
pub fn lock_remaining(failures: u32, free: u32, last_at: Millis, now: Millis) -> Millis {
    if failures < free {
        return 0;
    }
    let exp = (failures - free).min(20);
    let wait = (1_000_i64 << exp).min(MAX_LOCK_MS);
    (last_at + wait - now).max(0)
}

/// PBKDF2-SHA256 of `password` through WebCrypto (native speed, not wasm).
async fn pbkdf2(password: &str, salt: &[u8], iterations: u32) -> EdgeResult<Vec<u8>> {
    let js = |e: JsValue| EdgeError::internal("webcrypto", format!("{e:?}"));
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let key_bytes = Uint8Array::from(password.as_bytes());
    let key = JsFuture::from(import_key("raw", &key_bytes, "PBKDF2", false, &usages).map_err(js)?)
        .await
        .map_err(js)?;
    let params = Object::new();
    for (k, v) in [
        ("name", JsValue::from_str("PBKDF2")),
        ("hash", JsValue::from_str("SHA-256")),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", JsValue::from(iterations)),
    ] {
        Reflect::set(&params, &JsValue::from_str(k), &v).map_err(js)?;
    }
    let bits = JsFuture::from(derive_bits(&params, &key, 256).map_err(js)?)
        .await
        .map_err(js)?;
    let buf: worker::js_sys::ArrayBuffer = bits.dyn_into().map_err(js)?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// A new stored password with a random salt.
pub async fn hash_password(password: &str) -> EdgeResult<String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| EdgeError::internal("random", e))?;
    let hash = pbkdf2(password, &salt, ITERATIONS).await?;
    Ok(StoredPassword {
        iterations: ITERATIONS,
        salt: salt.to_vec(),
        hash,
    }
    .encode())
}

/// A signed-in account, as every console request sees it.
#[derive(Debug, Clone)]
pub struct Account {
    /// Its site.
    pub site_id: String,
    /// The profile.
    pub profile: AgentProfile,
}

impl Account {
    /// The account as `GET /v1/console/me` answers it.
    pub fn me(&self) -> Me {
        Me {
            agent: self.profile.clone(),
            site_id: self.site_id.clone(),
        }
    }

    /// Refuses unless the account's role includes `needed`.
    pub fn require(&self, needed: AgentRole) -> EdgeResult<()> {
        if self.profile.role.allows(needed) {
            Ok(())
        } else {
            Err(EdgeError::new(
                ErrorCode::Forbidden,
                format!("this needs the {} role", needed.as_str()),
            ))
        }
    }
}

#[derive(Deserialize)]
struct AgentRow {
    id: String,
    email: String,
    name: String,
    role: String,
    skills: String,
    capacity: f64,
    password: String,
}

impl AgentRow {
    fn profile(&self) -> EdgeResult<AgentProfile> {
        Ok(AgentProfile {
            id: self.id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            role: AgentRole::parse(&self.role)
                .ok_or_else(|| EdgeError::internal("agent role", &self.role))?,
            skills: serde_json::from_str(&self.skills)
                .map_err(|e| EdgeError::internal("agent skills", e))?,
            capacity: self.capacity as u32,
        })
    }
}

const AGENT_COLUMNS: &str = "id, email, name, role, skills, capacity, password";

fn db(env: &Env) -> EdgeResult<D1Database> {
    env.d1("DB")
        .map_err(|e| EdgeError::internal("D1 binding", e))
}

fn d1(context: &'static str) -> impl Fn(worker::Error) -> EdgeError {
    move |e| EdgeError::internal(context, e)
}

fn invalid_credentials() -> EdgeError {
    EdgeError::new(ErrorCode::InvalidCredentials, "wrong email or password")
}

/// Signs in: the same answer for an unknown email and a wrong password, and the same work
/// (a full PBKDF2) for both. Failures are counted per account and per network `address` (when
/// known); either count can make the next try wait. Returns the account and the new session
/// token.
pub async fn login(
    env: &Env,
    req: &LoginRequest,
    address: Option<&str>,
    now: Millis,
) -> EdgeResult<(Account, String)> {
    let email = req.email.trim().to_ascii_lowercase();
    let key = format!("{}:{}", req.site_id, email);
    let address_key = address.map(|a| format!("address:{a}"));
    let db = db(env)?;
    #[derive(Deserialize)]
    struct Failures {
        key: String,
        failures: f64,
        last_at: f64,
    }
    let counts: Vec<Failures> = db
        .prepare("SELECT key, failures, last_at FROM login_failures WHERE key IN (?1, ?2)")
        .bind(&[
            key.as_str().into(),
            address_key.as_deref().unwrap_or(key.as_str()).into(),
        ])
        .map_err(d1("bind failures"))?
        .all()
        .await
        .map_err(d1("read failures"))?
        .results()
        .map_err(d1("read failures"))?;
    let wait = counts
        .iter()
        .map(|f| {
            let (count, last_at) = (f.failures as u32, f.last_at as Millis);
            if f.key == key {
                lock_remaining(count, FREE_FAILURES, last_at, now)
            } else if now - last_at > ADDRESS_WINDOW_MS {
                0
            } else {
                lock_remaining(count, FREE_FAILURES_PER_ADDRESS, last_at, now)
            }
        })
        .max()
        .unwrap_or(0);
    if wait > 0 {
        let wait = wait.unsigned_abs();
        return Err(EdgeError::rate_limited(
            format!(
                "too many failed sign-ins; try again in {} s",
                wait.div_ceil(1000)
            ),
            wait,
        ));
    }
    let row: Option<AgentRow> = db
        .prepare(format!(
            "SELECT {AGENT_COLUMNS} FROM agents WHERE site_id = ?1 AND email = ?2"
        ))
        .bind(&[req.site_id.as_str().into(), email.as_str().into()])
        .map_err(d1("bind agent"))?
        .first(None)
        .await
        .map_err(d1("read agent"))?;
    // An unknown email still pays for one derivation, so timing does not tell them apart.
    let stored = row
        .as_ref()
        .and_then(|r| StoredPassword::parse(&r.password))
        .unwrap_or(StoredPassword {
            iterations: ITERATIONS,
            salt: b"no-such-account".to_vec(),
            hash: vec![0; 32],
        });
    let derived = pbkdf2(&req.password, &stored.salt, stored.iterations).await?;
    let ok = row.is_some() && same_bytes(&derived, &stored.hash);
    let Some(row) = row.filter(|_| ok) else {
        // An address's count starts again after a quiet hour; an account's only on success.
        let record = |key: &str, window: Millis| {
            db.prepare(
                "INSERT INTO login_failures (key, failures, last_at) VALUES (?1, 1, ?2)
                 ON CONFLICT (key) DO UPDATE SET
                   failures = CASE WHEN excluded.last_at - last_at > ?3 THEN 1 ELSE failures + 1 END,
                   last_at = excluded.last_at",
            )
            .bind(&[key.into(), (now as f64).into(), (window as f64).into()])
            .map_err(d1("bind failure"))
        };
        let mut writes = vec![record(&key, Millis::MAX / 2)?];
        if let Some(address_key) = &address_key {
            writes.push(record(address_key, ADDRESS_WINDOW_MS)?);
        }
        db.batch(writes).await.map_err(d1("record failure"))?;
        return Err(invalid_credentials());
    };
    let token = random_token()?;
    db.batch(vec![
        db.prepare("DELETE FROM login_failures WHERE key = ?1")
            .bind(&[key.as_str().into()])
            .map_err(d1("bind reset"))?,
        db.prepare(
            "INSERT INTO sessions (token_sha256, site_id, agent_id, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(&[
            sha256_hex(&token).into(),
            req.site_id.as_str().into(),
            row.id.as_str().into(),
            (now as f64).into(),
            ((now + SESSION_MS) as f64).into(),
        ])
        .map_err(d1("bind session"))?,
    ])
    .await
    .map_err(d1("create session"))?;
    let account = Account {
        site_id: req.site_id.clone(),
        profile: row.profile()?,
    };
    Ok((account, token))
}

fn random_token() -> EdgeResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| EdgeError::internal("random", e))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The session token from the request's cookie, if any.
pub fn session_cookie(req: &Request) -> Option<String> {
    let header = req.headers().get("Cookie").ok()??;
    header.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == SESSION_COOKIE && !v.is_empty()).then(|| v.to_owned())
    })
}

/// The `Set-Cookie` value for a session (or, with `None`, one that clears it).
pub fn set_cookie(token: Option<&str>) -> String {
    match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={}",
            SESSION_MS / 1000
        ),
        None => format!("{SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0"),
    }
}

/// The account behind the request's session cookie. A cookie only counts on a request from the
/// console's own origin (or without an Origin), so another site cannot act with it.
pub async fn signed_in(req: &Request, env: &Env, now: Millis) -> EdgeResult<Account> {
    let token = session_cookie(req)
        .ok_or_else(|| EdgeError::new(ErrorCode::MissingToken, "sign in first"))?;
    let own = req.url()?.origin().ascii_serialization();
    if let Some(origin) = req.headers().get("Origin")? {
        if origin != own {
            return Err(EdgeError::new(
                ErrorCode::OriginNotAllowed,
                "console requests must come from the console",
            ));
        }
    }
    account_for_session(env, &token, now).await
}

/// The account behind a session token, if the session is live.
pub async fn account_for_session(env: &Env, token: &str, now: Millis) -> EdgeResult<Account> {
    #[derive(Deserialize)]
    struct Row {
        site_id: String,
        #[serde(flatten)]
        agent: AgentRow,
    }
    let row: Option<Row> = db(env)?
        .prepare(
            "SELECT s.site_id AS site_id, a.id AS id, a.email AS email, a.name AS name,
                    a.role AS role, a.skills AS skills, a.capacity AS capacity, a.password AS password
             FROM sessions s JOIN agents a ON a.site_id = s.site_id AND a.id = s.agent_id
             WHERE s.token_sha256 = ?1 AND s.expires_at > ?2",
        )
        .bind(&[sha256_hex(token).into(), (now as f64).into()])
        .map_err(d1("bind session"))?
        .first(None)
        .await
        .map_err(d1("read session"))?;
    let row = row.ok_or_else(|| {
        EdgeError::new(
            ErrorCode::InvalidToken,
            "the session has ended; sign in again",
        )
    })?;
    Ok(Account {
        profile: row.agent.profile()?,
        site_id: row.site_id,
    })
}

/// Ends a session.
pub async fn logout(env: &Env, token: &str) -> EdgeResult<()> {
    db(env)?
        .prepare("DELETE FROM sessions WHERE token_sha256 = ?1")
        .bind(&[sha256_hex(token).into()])
        .map_err(d1("bind logout"))?
        .run()
        .await
        .map_err(d1("logout"))?;
    Ok(())
}

/// Every account of a site.
pub async fn list(env: &Env, site_id: &str) -> EdgeResult<Vec<AgentProfile>> {
    let rows: Vec<AgentRow> = db(env)?
        .prepare(format!(
            "SELECT {AGENT_COLUMNS} FROM agents WHERE site_id = ?1 ORDER BY name"
        ))
        .bind(&[site_id.into()])
        .map_err(d1("bind agents"))?
        .all()
        .await
        .map_err(d1("list agents"))?
        .results()
        .map_err(d1("decode agents"))?;
    rows.iter().map(AgentRow::profile).collect()
}

/// Writes an account (new or changed). `password` is the stored form; `None` keeps the old one.
pub async fn put(
    env: &Env,
    site_id: &str,
    p: &AgentProfile,
    password: Option<&str>,
    now: Millis,
) -> EdgeResult<()> {
    let skills = serde_json::to_string(&p.skills).map_err(|e| EdgeError::internal("skills", e))?;
    let stmt = match password {
        Some(pw) => db(env)?
            .prepare(
                "INSERT INTO agents (site_id, id, email, name, role, skills, capacity, password, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .bind(&[
                site_id.into(),
                p.id.as_str().into(),
                p.email.as_str().into(),
                p.name.as_str().into(),
                p.role.as_str().into(),
                skills.into(),
                p.capacity.into(),
                pw.into(),
                (now as f64).into(),
            ]),
        None => db(env)?
            .prepare(
                "UPDATE agents SET name = ?3, role = ?4, skills = ?5, capacity = ?6
                 WHERE site_id = ?1 AND id = ?2",
            )
            .bind(&[
                site_id.into(),
                p.id.as_str().into(),
                p.name.as_str().into(),
                p.role.as_str().into(),
                skills.into(),
                p.capacity.into(),
            ]),
    }
    .map_err(d1("bind agent write"))?;
    stmt.run().await.map_err(|e| {
        if e.to_string().contains("UNIQUE") {
            EdgeError::new(
                ErrorCode::InvalidField,
                "an account with this email already exists",
            )
        } else {
            EdgeError::internal("write agent", e)
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_passwords_round_trip_and_reject_junk() {
        // Known answer computed independently (Python hashlib.pbkdf2_hmac) for the demo seed.
        let seeded = "pbkdf2-sha256$100000$ZGVtby1zYWx0LWFkbWluMQ==$LoZN/VTooTdoJ/b+tmN0KVa1Bjb2eeVGE8REgHyJS2A=";
        let p = StoredPassword::parse(seeded).unwrap();
        assert_eq!(
            (p.iterations, p.salt.as_slice()),
            (100_000, &b"demo-salt-admin1"[..])
        );
        assert_eq!(p.encode(), seeded);
        for junk in [
            "",
            "md5$1$a$b",
            "pbkdf2-sha256$x$AA==$AA==",
            "pbkdf2-sha256$1$AA==$AA==",
            &format!("{seeded}$extra"),
        ] {
            assert_eq!(StoredPassword::parse(junk), None, "{junk}");
        }
    }

    #[test]
    fn byte_comparison() {
        assert!(same_bytes(b"abc", b"abc"));
        assert!(!same_bytes(b"abc", b"abd"));
        assert!(!same_bytes(b"abc", b"ab"));
    }

    #[test]
    fn failures_slow_down_then_cap() {
        let t = 1_000_000;
        let free = FREE_FAILURES;
        assert_eq!(
            lock_remaining(4, free, t, t),
            0,
            "the first five tries are free"
        );
        assert_eq!(lock_remaining(5, free, t, t), 1_000);
        assert_eq!(lock_remaining(6, free, t, t), 2_000);
        assert_eq!(
            lock_remaining(6, free, t, t + 2_000),
            0,
            "waited long enough"
        );
        assert_eq!(lock_remaining(40, free, t, t), MAX_LOCK_MS);
        assert_eq!(lock_remaining(49, FREE_FAILURES_PER_ADDRESS, t, t), 0);
        assert_eq!(lock_remaining(50, FREE_FAILURES_PER_ADDRESS, t, t), 1_000);
    }
}
