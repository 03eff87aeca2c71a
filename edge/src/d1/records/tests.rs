//! The statements run against the real schema (the migration itself) in SQLite with FTS5.

use porchlight_shared::records::query::{Channel, Environment, RecordQuery};
use porchlight_shared::records::row::RecordRow;
use porchlight_shared::records::stats::NpsBand;
use porchlight_shared::Status;
use rusqlite::{params_from_iter, Connection};

use super::*;

const MIGRATIONS: [&str; 3] = [
    include_str!("../../../migrations/0006_records.sql"),
    include_str!("../../../migrations/0007_record_consent.sql"),
    include_str!("../../../migrations/0008_record_filters.sql"),
];

/// A seeded ticket: (conversation, ticket, created_at, status, csat, nps, files, agents, said).
pub(crate) struct Seed<'a> {
    conversation: &'a str,
    ticket: i64,
    created_at: i64,
    status: &'a str,
    environment: &'a str,
    channel: &'a str,
    csat: Option<i64>,
    nps: Option<i64>,
    files: i64,
    agents: &'a [&'a str],
    visitor: &'a str,
    said: &'a [&'a str],
}

const BASE: Seed<'static> = Seed {
    conversation: "",
    ticket: 1,
    created_at: 0,
    status: "closed",
    environment: "production",
    channel: "widget",
    csat: None,
    nps: None,
    files: 0,
    agents: &[],
    visitor: "",
    said: &[],
};

pub(crate) fn exec(db: &Connection, sql: &Sql) {
    db.execute(&sql.text, params_from_iter(values(sql)))
        .unwrap();
}

/// The index as the writers leave it after each seeded ticket.
pub(crate) fn db(site: &str, seeds: &[Seed<'_>]) -> Connection {
    let db = Connection::open_in_memory().unwrap();
    for migration in MIGRATIONS {
        db.execute_batch(migration).unwrap();
    }
    for s in seeds {
        let row = RecordRow {
            conversation_id: s.conversation.into(),
            ticket: u32::try_from(s.ticket).unwrap(),
            status: Status::parse(s.status),
            environment: s.environment.into(),
            channel: s.channel.into(),
            visitor_name: Some(s.visitor.into()),
            created_at: s.created_at,
            files: u32::try_from(s.files).unwrap(),
            csat: s.csat.map(|n| u8::try_from(n).unwrap()),
            nps: s.nps.map(|n| u8::try_from(n).unwrap()),
            ..RecordRow::default()
        };
        exec(&db, &upsert(site, 1, &row));
        let agents: Vec<String> = s.agents.iter().map(|a| a.to_string()).collect();
        for sql in add_agents(site, &row, &agents) {
            exec(&db, &sql);
        }
        for body in s.said.iter().chain([&s.visitor]) {
            for sql in add_text(site, s.conversation, row.ticket, body) {
                exec(&db, &sql);
            }
        }
    }
    db
}

fn values(sql: &Sql) -> Vec<rusqlite::types::Value> {
    sql.binds
        .iter()
        .map(|b| match b {
            Bind::Text(t) => rusqlite::types::Value::Text(t.clone()),
            Bind::Int(n) => rusqlite::types::Value::Integer(*n),
            Bind::Null => rusqlite::types::Value::Null,
        })
        .collect()
}

/// The `conversation/ticket` of each row of the page, in order.
pub(crate) fn run(db: &Connection, site: &str, q: &RecordQuery) -> Vec<String> {
    db_rows_of(db, &page(site, q))
}

fn total(db: &Connection, site: &str, q: &RecordQuery) -> i64 {
    let sql = count(site, q);
    db.query_row(&sql.text, params_from_iter(values(&sql)), |r| r.get(0))
        .unwrap()
}

fn seeds() -> Vec<Seed<'static>> {
    vec![
        Seed {
            conversation: "cv_a",
            created_at: 100,
            csat: Some(5),
            nps: Some(10),
            agents: &["alice"],
            visitor: "Maria Silva maria@example.com",
            said: &["Meu cartão foi cobrado duas vezes", "Obrigada!"],
            ..BASE
        },
        Seed {
            conversation: "cv_a",
            ticket: 2,
            created_at: 500,
            status: "open",
            files: 2,
            agents: &["bob"],
            visitor: "Maria Silva maria@example.com",
            said: &["Outra dúvida sobre o pedido"],
            ..BASE
        },
        Seed {
            conversation: "cv_b",
            created_at: 200,
            status: "solved",
            csat: Some(2),
            nps: Some(3),
            agents: &["alice", "bob"],
            visitor: "王小明",
            said: &["我的卡被扣了两次，请帮忙"],
            ..BASE
        },
        Seed {
            conversation: "cv_c",
            created_at: 300,
            channel: "api",
            nps: Some(8),
            files: 1,
            visitor: "José",
            said: &["¿Dónde está mi pedido?"],
            ..BASE
        },
        Seed {
            conversation: "cv_t",
            created_at: 400,
            environment: "test",
            said: &["test message from the preview, card charged twice"],
            ..BASE
        },
    ]
}

fn q() -> RecordQuery {
    RecordQuery::default()
}

#[test]
fn production_newest_first_by_default() {
    let db = db("s1", &seeds());
    assert_eq!(
        run(&db, "s1", &q()),
        ["cv_a/2", "cv_c/1", "cv_b/1", "cv_a/1"]
    );
    assert_eq!(total(&db, "s1", &q()), 4);
    let test = RecordQuery {
        environment: Environment::Test,
        ..q()
    };
    assert_eq!(run(&db, "s1", &test), ["cv_t/1"]);
    assert_eq!(
        run(&db, "other-site", &q()),
        Vec::<String>::new(),
        "one site only"
    );
}

#[test]
fn each_filter_and_their_combination() {
    let db = db("s1", &seeds());
    let cases: Vec<(RecordQuery, Vec<&str>)> = vec![
        (
            RecordQuery {
                status: Some(Status::Closed),
                ..q()
            },
            vec!["cv_c/1", "cv_a/1"],
        ),
        (
            RecordQuery {
                channel: Some(Channel::Api),
                ..q()
            },
            vec!["cv_c/1"],
        ),
        (
            RecordQuery {
                from: Some(200),
                to: Some(500),
                ..q()
            },
            vec!["cv_c/1", "cv_b/1"],
        ),
        (
            RecordQuery {
                csat: Some(2),
                ..q()
            },
            vec!["cv_b/1"],
        ),
        (
            RecordQuery {
                nps: Some(NpsBand::Promoter),
                ..q()
            },
            vec!["cv_a/1"],
        ),
        (
            RecordQuery {
                nps: Some(NpsBand::Passive),
                ..q()
            },
            vec!["cv_c/1"],
        ),
        (
            RecordQuery {
                nps: Some(NpsBand::Detractor),
                ..q()
            },
            vec!["cv_b/1"],
        ),
        (
            RecordQuery {
                has_files: Some(true),
                ..q()
            },
            vec!["cv_a/2", "cv_c/1"],
        ),
        (
            RecordQuery {
                has_files: Some(false),
                ..q()
            },
            vec!["cv_b/1", "cv_a/1"],
        ),
        (
            RecordQuery {
                agent: Some("bob".into()),
                ..q()
            },
            vec!["cv_a/2", "cv_b/1"],
        ),
        (
            RecordQuery {
                agent: Some("alice".into()),
                status: Some(Status::Solved),
                ..q()
            },
            vec!["cv_b/1"],
        ),
        (
            RecordQuery {
                has_files: Some(true),
                channel: Some(Channel::Widget),
                ..q()
            },
            vec!["cv_a/2"],
        ),
        (
            RecordQuery {
                flow: Some("faq".into()),
                ..q()
            },
            vec![],
        ),
    ];
    for (query, want) in cases {
        assert_eq!(run(&db, "s1", &query), want, "{query:?}");
        assert_eq!(total(&db, "s1", &query), want.len() as i64, "{query:?}");
    }
}

#[test]
fn words_said_and_visitor_details_are_found_in_every_script() {
    let db = db("s1", &seeds());
    let text = |t: &str| RecordQuery {
        text: Some(t.into()),
        ..q()
    };
    assert_eq!(run(&db, "s1", &text("cobrado duas")), ["cv_a/1"]);
    assert_eq!(
        run(&db, "s1", &text("obrigada cobrado")),
        ["cv_a/1"],
        "words from different messages of one ticket"
    );
    assert_eq!(
        run(&db, "s1", &text("obrigada pedido")),
        Vec::<String>::new(),
        "not across tickets"
    );
    assert_eq!(
        run(&db, "s1", &text("cartao")),
        ["cv_a/1"],
        "accents ignored"
    );
    assert_eq!(run(&db, "s1", &text("扣了两次")), ["cv_b/1"]);
    assert_eq!(
        run(&db, "s1", &text("两次")),
        ["cv_b/1"],
        "a two-character word"
    );
    assert_eq!(
        run(&db, "s1", &text("maria@example.com")),
        ["cv_a/2", "cv_a/1"]
    );
    assert_eq!(run(&db, "s1", &text("王小明")), ["cv_b/1"]);
    assert_eq!(run(&db, "s1", &text("pedido")), ["cv_a/2", "cv_c/1"]);
    assert_eq!(
        run(&db, "s1", &text("pedido José")),
        ["cv_c/1"],
        "every word"
    );
    assert_eq!(
        run(&db, "s1", &text("charged twice")),
        Vec::<String>::new(),
        "test traffic"
    );
    // FTS5 syntax and LIKE wildcards are taken literally.
    for odd in [
        "\"",
        "a\"b OR c",
        "NEAR(x y)",
        "%",
        "_",
        "*",
        "body:x",
        "-x",
    ] {
        assert_eq!(run(&db, "s1", &text(odd)), Vec::<String>::new(), "{odd}");
    }
}

#[test]
fn keyset_pages_cover_every_row_once_in_order() {
    let mut many = Vec::new();
    let names: Vec<String> = (0..23).map(|i| format!("cv_{i:02}")).collect();
    for (i, name) in names.iter().enumerate() {
        many.push(Seed {
            conversation: name,
            // Pairs share a time, so the tie-break on conversation id is exercised.
            created_at: (i as i64 / 2) * 10,
            ..BASE
        });
    }
    let db = db("s1", &many);
    let mut seen = Vec::new();
    let mut query = RecordQuery {
        limit: Some(5),
        ..q()
    };
    loop {
        let rows = run(&db, "s1", &query);
        assert!(rows.len() <= 6, "a page is the limit plus one");
        let more = rows.len() == 6;
        let page: Vec<String> = rows.into_iter().take(5).collect();
        let Some(last) = page.last().cloned() else {
            break;
        };
        seen.extend(page);
        if !more {
            break;
        }
        let conversation = last.split('/').next().unwrap().to_owned();
        let index: usize = conversation[3..].parse().unwrap();
        query.after = Some(Cursor {
            created_at: (index as i64 / 2) * 10,
            conversation,
            ticket: 1,
        });
    }
    let mut want: Vec<String> = names.iter().map(|n| format!("{n}/1")).collect();
    want.reverse();
    assert_eq!(seen, want);
}

#[test]
fn the_newest_first_page_reads_the_index() {
    let db = db("s1", &seeds());
    let sql = page(
        "s1",
        &RecordQuery {
            after: Some(Cursor {
                created_at: 300,
                conversation: "cv_c".into(),
                ticket: 1,
            }),
            ..q()
        },
    );
    let plan: Vec<String> = db
        .prepare(&format!("EXPLAIN QUERY PLAN {}", sql.text))
        .unwrap()
        .query_map(params_from_iter(values(&sql)), |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let plan = plan.join("\n");
    assert!(plan.contains("records_newest"), "{plan}");
    assert!(
        !plan.contains("TEMP B-TREE"),
        "no sort of the whole site: {plan}"
    );
}

#[test]
fn a_late_update_never_overwrites_a_newer_one() {
    let db = db("s1", &[]);
    let row = |status, csat| RecordRow {
        conversation_id: "cv_a".into(),
        ticket: 1,
        status: Some(status),
        environment: "production".into(),
        channel: "widget".into(),
        created_at: 10,
        csat,
        ..RecordRow::default()
    };
    exec(&db, &upsert("s1", 5, &row(Status::Solved, Some(4))));
    exec(&db, &upsert("s1", 3, &row(Status::Open, None)));
    let solved = RecordQuery {
        status: Some(Status::Solved),
        csat: Some(4),
        ..q()
    };
    assert_eq!(run(&db, "s1", &solved), ["cv_a/1"], "seq 3 arrived late");
    exec(&db, &upsert("s1", 6, &row(Status::Closed, None)));
    assert_eq!(run(&db, "s1", &solved), Vec::<String>::new());
    let closed_rated = RecordQuery {
        status: Some(Status::Closed),
        csat: Some(4),
        ..q()
    };
    assert_eq!(
        run(&db, "s1", &closed_rated),
        ["cv_a/1"],
        "a row without a rating keeps the one the index has"
    );
    // The same change written again (the visitor's details changed since) is written.
    let named = RecordRow {
        visitor_name: Some("Maria".into()),
        ..row(Status::Closed, None)
    };
    exec(&db, &upsert("s1", 6, &named));
    let name: String = db
        .query_row("SELECT visitor_name FROM records", [], |x| x.get(0))
        .unwrap();
    assert_eq!(name, "Maria");
    assert_eq!(total(&db, "s1", &q()), 1, "one row per ticket");
    // Agents are kept once each, whatever is reported twice.
    let r = row(Status::Closed, None);
    let twice = [vec!["alice".into(), "bob".into()], vec!["alice".into()]];
    for agents in &twice {
        for sql in add_agents("s1", &r, agents) {
            exec(&db, &sql);
        }
    }
    let n: i64 = db
        .query_row("SELECT count(*) FROM record_agents", [], |x| x.get(0))
        .unwrap();
    assert_eq!(n, 2);
    // The row's copy, which the agent filter reads.
    let copy: String = db
        .query_row("SELECT agents FROM records WHERE site_id = 's1'", [], |x| {
            x.get(0)
        })
        .unwrap();
    assert_eq!(copy, " alice bob ");
    assert!(add_agents("s1", &r, &[]).is_empty());
}

#[test]
fn a_conversations_tickets_oldest_first_and_only_its_sites() {
    let db = db("s1", &seeds());
    let other = db_rows_of(&db, &of_conversation("s2", "cv_a"));
    assert!(other.is_empty(), "another site's conversation of that id");
    assert_eq!(
        db_rows_of(&db, &of_conversation("s1", "cv_a")),
        ["cv_a/1", "cv_a/2"]
    );
    assert!(db_rows_of(&db, &of_conversation("s1", "cv_none")).is_empty());
}

fn db_rows_of(db: &Connection, sql: &Sql) -> Vec<String> {
    let mut stmt = db.prepare(&sql.text).unwrap();
    stmt.query_map(params_from_iter(values(sql)), |row| {
        Ok(format!(
            "{}/{}",
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}
