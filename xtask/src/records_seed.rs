//! A site's record index filled with many conversations, quickly and reproducibly: the same
//! `seed` and anchor day give the same rows. For `cargo xtask bench records` (100 000
//! conversations) and for trying the console's Records screen on realistic data
//! (`cargo xtask seed-records`).
//!
//! The mix follows what a support team's year looks like: most tickets closed, a few live ones
//! among the newest; ratings answered on a minority of solved tickets and skewed towards
//! satisfied; replies within minutes, sometimes hours; traffic in office hours on weekdays; four
//! languages; some files, transfers and reopenings; a little test traffic and a little API
//! traffic. Every ticket's text (the visitor's details and what was said) goes into the
//! full-text index, as the live feed does.
//!
//! The rows are SQL statements (multi-row `INSERT`s), run in one transaction straight into the
//! local D1 database's SQLite file while no server runs ([`write`]): seconds, where
//! `wrangler d1 execute --file` takes minutes for the same statements.

use std::fmt::Write as _;

/// One day in ms.
const DAY_MS: i64 = 86_400_000;
/// Rows per `INSERT` statement.
const BATCH: usize = 250;

/// The agents the seeded tickets are assigned to.
pub const AGENTS: [&str; 12] = [
    "alice", "bruno", "chen", "dora", "emil", "fatima", "gabriel", "hana", "ivo", "julia", "kai",
    "lucia",
];

/// A phrase some tickets contain, for the full-text figures: an operator looking for "the
/// conversation where someone said their card was charged twice".
pub const NEEDLE: &str = "card was charged twice";

/// splitmix64: a small, good, reproducible generator (no dependency needed for a seeder).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A value picked with the given weights.
    fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut at = self.below(total);
        for (item, weight) in items {
            if at < *weight {
                return *item;
            }
            at -= weight;
        }
        items[items.len() - 1].0
    }
}

struct Language {
    locale: &'static str,
    first_names: &'static [&'static str],
    last_names: &'static [&'static str],
    openers: &'static [&'static str],
    follow_ups: &'static [&'static str],
    replies: &'static [&'static str],
}

const LANGUAGES: [Language; 4] = [
    Language {
        locale: "en",
        first_names: &[
            "Mary", "John", "Grace", "Oliver", "Emma", "Noah", "Ava", "Liam",
        ],
        last_names: &["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans"],
        openers: &[
            "Where is my order? It was due on Monday",
            "How do I change my delivery address?",
            "I would like a refund for my last purchase",
            "The discount code does not work at checkout",
            "Can I upgrade my plan in the middle of the month?",
            "My card was charged twice for the same order",
            "The app logs me out every few minutes",
            "Do you ship to Canada?",
        ],
        follow_ups: &[
            "The order number is in the email",
            "Thanks, that helps",
            "I attached a screenshot",
            "Still waiting for an answer",
        ],
        replies: &[
            "Thanks for writing, let me check that for you",
            "I have refunded the duplicate charge",
            "Your new address is saved",
            "The parcel left our warehouse yesterday",
        ],
    },
    Language {
        locale: "pt-BR",
        first_names: &[
            "Maria", "João", "Ana", "Pedro", "Luiza", "Rafael", "Beatriz",
        ],
        last_names: &["Silva", "Santos", "Oliveira", "Souza", "Lima", "Costa"],
        openers: &[
            "Meu pedido ainda não chegou",
            "Meu cartão foi cobrado duas vezes",
            "Como troco o endereço de entrega?",
            "Quero cancelar a assinatura",
            "O cupom de desconto não funciona",
        ],
        follow_ups: &[
            "O número do pedido está no e-mail",
            "Obrigada!",
            "Ainda aguardo retorno",
        ],
        replies: &[
            "Olá! Vou verificar para você",
            "O estorno foi feito",
            "Seu endereço foi atualizado",
        ],
    },
    Language {
        locale: "es",
        first_names: &["Lucía", "Mateo", "Sofía", "Diego", "Valentina", "Javier"],
        last_names: &["García", "Martínez", "López", "Sánchez", "Pérez"],
        openers: &[
            "Mi pedido no ha llegado todavía",
            "Me cobraron dos veces la tarjeta",
            "¿Cómo cambio la dirección de envío?",
            "Quiero devolver un producto",
        ],
        follow_ups: &[
            "Gracias por la ayuda",
            "Adjunto la factura",
            "¿Alguna novedad?",
        ],
        replies: &["Hola, lo reviso enseguida", "Ya hicimos el reembolso"],
    },
    Language {
        locale: "zh-CN",
        first_names: &["伟", "芳", "娜", "敏", "静", "磊"],
        last_names: &["王", "李", "张", "刘", "陈"],
        openers: &[
            "我的订单还没有到",
            "我的信用卡被扣了两次款",
            "怎么修改收货地址？",
            "我想申请退款",
        ],
        follow_ups: &["订单号在邮件里", "谢谢你的帮助", "还在等回复"],
        replies: &["您好，我帮您查一下", "退款已经处理好了"],
    },
];

/// What one seeding wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    /// Conversations.
    pub conversations: u64,
    /// Tickets (record rows): a conversation has one or two.
    pub tickets: u64,
    /// Of those, production tickets (the rest are test traffic).
    pub production: u64,
    /// Production tickets whose text holds [`NEEDLE`].
    pub with_needle: u64,
    /// Production tickets created in the last 30 days before the anchor.
    pub last_30_days: u64,
}

/// A SQL string literal.
fn quote(out: &mut String, text: &str) {
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

fn opt_int(out: &mut String, value: Option<i64>) {
    match value {
        Some(v) => {
            let _ = write!(out, "{v}");
        }
        None => out.push_str("NULL"),
    }
}

fn opt_text(out: &mut String, value: Option<&str>) {
    match value {
        Some(v) => quote(out, v),
        None => out.push_str("NULL"),
    }
}

/// One ticket, as generated.
struct Ticket {
    conversation: String,
    number: u32,
    environment: &'static str,
    channel: &'static str,
    flow: &'static str,
    status: &'static str,
    name: String,
    email: String,
    phone: Option<String>,
    external_id: Option<String>,
    assignee: Option<&'static str>,
    helper: Option<&'static str>,
    first_line: &'static str,
    text: String,
    created_at: i64,
    first_response_at: Option<i64>,
    solved_at: Option<i64>,
    closed_at: Option<i64>,
    counts: [u32; 6],
    active_ms: i64,
    csat: Option<i64>,
    nps: Option<i64>,
    consent: Option<(i64, &'static str)>,
}

/// An hour of the day, weighted towards office hours.
fn hour(rng: &mut Rng) -> i64 {
    let weights: [(i64, u64); 24] = [
        (0, 1),
        (1, 1),
        (2, 1),
        (3, 1),
        (4, 1),
        (5, 2),
        (6, 3),
        (7, 5),
        (8, 8),
        (9, 12),
        (10, 14),
        (11, 14),
        (12, 10),
        (13, 12),
        (14, 14),
        (15, 13),
        (16, 11),
        (17, 8),
        (18, 6),
        (19, 5),
        (20, 4),
        (21, 3),
        (22, 2),
        (23, 1),
    ];
    rng.weighted(&weights)
}

fn ticket(rng: &mut Rng, index: u64, number: u32, anchor_day: i64, created_at: i64) -> Ticket {
    let lang = rng.pick(&LANGUAGES);
    let first = *rng.pick(lang.first_names);
    let last = *rng.pick(lang.last_names);
    let name = if lang.locale == "zh-CN" {
        format!("{last}{first}")
    } else {
        format!("{first} {last}")
    };
    let email = format!("visitor{index}@mail{}.example", index % 97);
    let phone = rng
        .chance(40)
        .then(|| format!("+55119{:08}", rng.below(100_000_000)));
    let external_id = rng.chance(30).then(|| format!("user-{}", 100_000 + index));
    let age_days = (anchor_day - created_at) / DAY_MS;
    let status = if age_days < 1 {
        rng.weighted(&[
            ("new", 10),
            ("open", 30),
            ("pending", 15),
            ("on_hold", 5),
            ("solved", 40),
        ])
    } else if age_days < 4 {
        rng.weighted(&[("open", 5), ("pending", 10), ("on_hold", 5), ("solved", 80)])
    } else {
        rng.weighted(&[("closed", 96), ("on_hold", 2), ("pending", 2)])
    };
    let answered = status != "new" && rng.chance(97);
    let assignee = (status != "new").then(|| *rng.pick(&AGENTS));
    let transferred = assignee.is_some() && rng.chance(8);
    let helper = transferred
        .then(|| *rng.pick(&AGENTS))
        .filter(|h| Some(*h) != assignee);
    let first_response_at = answered.then(|| {
        // Most within minutes, a tail into hours.
        let seconds = if rng.chance(85) {
            15 + rng.below(600)
        } else {
            600 + rng.below(4 * 3600)
        };
        created_at + seconds as i64 * 1000
    });
    let solved = matches!(status, "solved" | "closed");
    let resolution = (30 + rng.below(240)) as i64 * 60_000;
    let solved_at = solved.then(|| first_response_at.unwrap_or(created_at) + resolution);
    let closed_at = (status == "closed").then(|| solved_at.unwrap_or(created_at) + 4 * DAY_MS);
    let visitor_messages = 1 + rng.below(12) as u32;
    let agent_messages = if answered {
        1 + rng.below(10) as u32
    } else {
        0
    };
    let bot_messages = if rng.chance(30) {
        1 + rng.below(3) as u32
    } else {
        0
    };
    let files = if rng.chance(10) {
        1 + rng.below(3) as u32
    } else {
        0
    };
    let reopenings = u32::from(solved && rng.chance(5));
    let counts = [
        visitor_messages,
        agent_messages,
        bot_messages,
        files,
        u32::from(transferred),
        reopenings,
    ];
    let csat = (solved && rng.chance(40))
        .then(|| rng.weighted(&[(5, 45), (4, 30), (3, 12), (2, 6), (1, 7)]));
    let nps = (solved && rng.chance(20)).then(|| {
        rng.weighted(&[
            (10, 25),
            (9, 20),
            (8, 15),
            (7, 12),
            (6, 8),
            (5, 6),
            (4, 4),
            (3, 3),
            (2, 3),
            (1, 2),
            (0, 2),
        ])
    });
    let first_line = *rng.pick(lang.openers);
    let mut text = format!("{name}\n{email}");
    for extra in [phone.as_deref(), external_id.as_deref()]
        .into_iter()
        .flatten()
    {
        text.push('\n');
        text.push_str(extra);
    }
    text.push('\n');
    text.push_str(first_line);
    for _ in 1..visitor_messages.min(4) {
        text.push('\n');
        let line: &str = rng.pick::<&str>(lang.follow_ups);
        text.push_str(line);
    }
    for _ in 0..agent_messages.min(3) {
        text.push('\n');
        let line: &str = rng.pick::<&str>(lang.replies);
        text.push_str(line);
    }
    let active_ms = solved_at.unwrap_or(created_at + 600_000) - created_at;
    Ticket {
        conversation: format!("cv_seed{index:07}"),
        number,
        environment: if rng.chance(3) { "test" } else { "production" },
        channel: if rng.chance(10) { "api" } else { "widget" },
        flow: rng.weighted(&[("", 70), ("faq-bot", 20), ("billing-bot", 10)]),
        status,
        name,
        email,
        phone,
        external_id,
        assignee,
        helper,
        first_line,
        text,
        created_at,
        first_response_at,
        solved_at,
        closed_at,
        counts,
        active_ms,
        csat,
        nps,
        consent: rng.chance(60).then_some((created_at, lang.locale)),
    }
}

/// `conversations` conversations of `site` as SQL statements, created over the 365 days before
/// `anchor_day` (ms, the start of a UTC day; nothing on or after it), generated from `seed`. Returns the statements
/// (each a multi-row `INSERT`) and what they hold.
pub fn generate(
    site: &str,
    conversations: u64,
    seed: u64,
    anchor_day: i64,
) -> (Vec<String>, Seeded) {
    let mut rng = Rng(seed);
    let mut tickets = Vec::new();
    let mut seeded = Seeded {
        conversations,
        tickets: 0,
        production: 0,
        with_needle: 0,
        last_30_days: 0,
    };
    for index in 0..conversations {
        let day = rng.below(365) as i64;
        let created_at = anchor_day - (day + 1) * DAY_MS
            + hour(&mut rng) * 3_600_000
            + rng.below(3_600_000) as i64;
        let t = ticket(&mut rng, index, 1, anchor_day, created_at);
        // A returning visitor's second ticket, days later, when the first is closed.
        let second = (t.status == "closed" && rng.chance(15)).then(|| {
            let later = t.closed_at.unwrap_or(created_at) + (1 + rng.below(20) as i64) * DAY_MS;
            let mut s = ticket(
                &mut rng,
                index,
                2,
                anchor_day,
                later.min(anchor_day - 3_600_000),
            );
            s.conversation = t.conversation.clone();
            s.name = t.name.clone();
            s.email = t.email.clone();
            s
        });
        tickets.push(t);
        tickets.extend(second);
    }
    for t in &tickets {
        seeded.tickets += 1;
        seeded.production += u64::from(t.environment == "production");
        if t.environment == "production" && t.text.contains(NEEDLE) {
            seeded.with_needle += 1;
        }
        if t.environment == "production" && t.created_at >= anchor_day - 30 * DAY_MS {
            seeded.last_30_days += 1;
        }
    }
    let mut statements = Vec::new();
    for chunk in tickets.chunks(BATCH) {
        statements.push(records_insert(site, chunk));
        statements.push(agents_insert(site, chunk));
        statements.push(text_insert(site, chunk));
    }
    (statements, seeded)
}

/// Seeds `site` in the SQLite file `db` (the local D1 database, migrated): see [`generate`].
pub fn write(
    db: &std::path::Path,
    site: &str,
    conversations: u64,
    seed: u64,
    anchor_day: i64,
) -> std::io::Result<Seeded> {
    let (statements, seeded) = generate(site, conversations, seed, anchor_day);
    let mut conn = rusqlite::Connection::open(db).map_err(std::io::Error::other)?;
    let tx = conn.transaction().map_err(std::io::Error::other)?;
    for s in statements.iter().filter(|s| !s.is_empty()) {
        tx.execute_batch(s).map_err(std::io::Error::other)?;
    }
    tx.commit().map_err(std::io::Error::other)?;
    Ok(seeded)
}

fn records_insert(site: &str, tickets: &[Ticket]) -> String {
    let mut out = String::from(
        "INSERT OR REPLACE INTO records (site_id, conversation_id, ticket, seq, environment, \
         channel, flow, status, visitor_name, visitor_email, visitor_phone, visitor_external_id, \
         assignee, first_line, created_at, first_response_at, solved_at, closed_at, \
         visitor_messages, agent_messages, bot_messages, files, transfers, reopenings, active_ms, \
         csat, nps, consent_at, consent_version, consent_locale, agents) VALUES ",
    );
    for (i, t) in tickets.iter().enumerate() {
        out.push_str(if i == 0 { "(" } else { ", (" });
        quote(&mut out, site);
        out.push_str(", ");
        quote(&mut out, &t.conversation);
        let _ = write!(
            out,
            ", {}, 1, '{}', '{}', ",
            t.number, t.environment, t.channel
        );
        quote(&mut out, t.flow);
        let _ = write!(out, ", '{}', ", t.status);
        quote(&mut out, &t.name);
        out.push_str(", ");
        quote(&mut out, &t.email);
        out.push_str(", ");
        opt_text(&mut out, t.phone.as_deref());
        out.push_str(", ");
        opt_text(&mut out, t.external_id.as_deref());
        out.push_str(", ");
        opt_text(&mut out, t.assignee);
        out.push_str(", ");
        quote(&mut out, t.first_line);
        let _ = write!(out, ", {}, ", t.created_at);
        opt_int(&mut out, t.first_response_at);
        out.push_str(", ");
        opt_int(&mut out, t.solved_at);
        out.push_str(", ");
        opt_int(&mut out, t.closed_at);
        for n in t.counts {
            let _ = write!(out, ", {n}");
        }
        let _ = write!(out, ", {}, ", t.active_ms);
        opt_int(&mut out, t.csat);
        out.push_str(", ");
        opt_int(&mut out, t.nps);
        out.push_str(", ");
        match t.consent {
            Some((at, locale)) => {
                let _ = write!(out, "{at}, '5eed0001', ");
                quote(&mut out, locale);
            }
            None => out.push_str("NULL, NULL, NULL"),
        }
        // The row's copy of its agents, each between spaces (migration 0008).
        let agents: Vec<&str> = [t.assignee, t.helper].into_iter().flatten().collect();
        out.push_str(", ");
        if agents.is_empty() {
            out.push_str("''");
        } else {
            quote(&mut out, &format!(" {} ", agents.join(" ")));
        }
        out.push(')');
    }
    out.push(';');
    out
}

fn agents_insert(site: &str, tickets: &[Ticket]) -> String {
    let mut out = String::from("INSERT OR IGNORE INTO record_agents VALUES ");
    let mut first = true;
    for t in tickets {
        for agent in [t.assignee, t.helper].into_iter().flatten() {
            out.push_str(if first { "(" } else { ", (" });
            first = false;
            quote(&mut out, site);
            out.push_str(", ");
            quote(&mut out, &t.conversation);
            let _ = write!(out, ", {}, ", t.number);
            quote(&mut out, agent);
            let _ = write!(out, ", {})", t.created_at);
        }
    }
    if first {
        return String::new();
    }
    out.push(';');
    out
}

/// The tickets' documents, joined to their rows by key (the rows' ids are the database's).
fn text_insert(site: &str, tickets: &[Ticket]) -> String {
    let mut out = String::from(
        "INSERT OR REPLACE INTO record_text (rowid, body) SELECT r.id, v.column3 FROM (VALUES ",
    );
    for (i, t) in tickets.iter().enumerate() {
        out.push_str(if i == 0 { "(" } else { ", (" });
        quote(&mut out, &t.conversation);
        let _ = write!(out, ", {}, ", t.number);
        quote(&mut out, &t.text);
        out.push(')');
    }
    out.push_str(") v JOIN records r ON r.site_id = ");
    quote(&mut out, site);
    out.push_str(" AND r.conversation_id = v.column1 AND r.ticket = v.column2;");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANCHOR: i64 = 1_796_083_200_000; // 2026-12-01T00:00:00Z

    #[test]
    fn the_same_seed_gives_the_same_rows() {
        let (a, sa) = generate("s", 500, 7, ANCHOR);
        let (b, sb) = generate("s", 500, 7, ANCHOR);
        assert_eq!(a, b);
        assert_eq!(sa, sb);
        let (c, _) = generate("s", 500, 8, ANCHOR);
        assert_ne!(a, c);
    }

    #[test]
    fn the_mix_is_realistic() {
        let (_, s) = generate("s", 10_000, 1, ANCHOR);
        assert_eq!(s.conversations, 10_000);
        // Some returning visitors opened a second ticket.
        assert!(s.tickets > 10_500 && s.tickets < 12_500, "{}", s.tickets);
        // About 1 in 8 English openers is the needle: English is a quarter of tickets.
        assert!(
            s.with_needle > 100 && s.with_needle < 1_000,
            "{}",
            s.with_needle
        );
        // 30 of 365 days, less the test traffic.
        assert!(
            s.last_30_days > 600 && s.last_30_days < 1_100,
            "{}",
            s.last_30_days
        );
    }

    #[test]
    fn statements_load_into_the_real_schema_and_search_finds_the_needle() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        for m in [
            "0006_records.sql",
            "0007_record_consent.sql",
            "0008_record_filters.sql",
        ] {
            let path = crate::harness::edge_dir().join("migrations").join(m);
            db.execute_batch(&std::fs::read_to_string(path).unwrap())
                .unwrap();
        }
        let (statements, seeded) = generate("s", 2_000, 3, ANCHOR);
        for s in statements.iter().filter(|s| !s.is_empty()) {
            db.execute_batch(s).unwrap();
        }
        let rows: u64 = db
            .query_row(
                "SELECT count(*) FROM records WHERE site_id = 's'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rows, seeded.tickets);
        let found: u64 = db
            .query_row(
                "SELECT count(*) FROM record_text t JOIN records r ON r.id = t.rowid \
                 WHERE r.environment = 'production' AND record_text MATCH ?1",
                [format!("\"{NEEDLE}\"")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, seeded.with_needle);
        // Each row's copy of its agents is the agents list.
        let (listed, copied): (u64, u64) = db
            .query_row(
                "SELECT (SELECT count(*) FROM record_agents WHERE agent_id = 'alice'), \
                 (SELECT count(*) FROM records WHERE instr(agents, ' alice ') > 0)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(listed > 0);
        assert_eq!(listed, copied);
        // Chinese text is found by the trigram index.
        let zh: u64 = db
            .query_row(
                "SELECT count(*) FROM record_text WHERE record_text MATCH '\"扣了两次\"'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(zh > 0);
    }
}
