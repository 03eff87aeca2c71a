//! `cargo xtask bench records`: the conversation records index of one site filled with 100 000
//! conversations ([`crate::records_seed`]), then the console's records endpoints timed as an
//! operator uses them: searches across filter combinations, full-text searches, a deep page, a
//! 30-day report and the whole export (with the edge's memory watched).
//!
//! Times are whole requests on loopback as the client sees them (wrangler's proxy included):
//! an upper bound of the server's own time.

use std::io::Read as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::{percentile, spread, Figure, Target};
use crate::client::Http;
use crate::harness::Wrangler;
use crate::records_seed::{Seeded, AGENTS, NEEDLE};

/// Conversations seeded for the bench.
pub const CONVERSATIONS: u64 = 100_000;
/// The seed: the same rows on every run.
pub const SEED: u64 = 2026;
/// Runs of each search.
const RUNS: usize = 15;
const DAY_MS: i64 = 86_400_000;

fn timed_get(http: &Http, path: &str) -> std::io::Result<(f64, crate::client::Reply)> {
    let start = Instant::now();
    let reply = http.get(path, None)?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if reply.status != 200 {
        return Err(std::io::Error::other(format!(
            "GET {path}: {} {}",
            reply.status, reply.text
        )));
    }
    Ok((ms, reply))
}

/// The figures, against `edge` whose `site` holds the seeded rows (`seeded`, created over the
/// 365 days before `anchor_day`), read by `session` (an operator or admin of the site).
pub fn figures(
    edge: &Wrangler,
    session: &str,
    seeded: Seeded,
    anchor_day: i64,
) -> std::io::Result<Vec<Figure>> {
    let http = Http::new(&edge.base_url, None).with_session(session);
    let month_ago = anchor_day - 30 * DAY_MS;
    let filters: Vec<String> = vec![
        String::new(),
        "status=closed".into(),
        "csat=5".into(),
        "csat=1".into(),
        format!("agent={}", AGENTS[0]),
        "channel=api".into(),
        "files=yes".into(),
        "nps=detractor".into(),
        "env=test".into(),
        format!("from={month_ago}"),
        format!("from={month_ago}&status=solved&agent={}", AGENTS[1]),
        format!("status=closed&csat=4&channel=widget&agent={}", AGENTS[2]),
        "flow=faq-bot&files=no&nps=promoter".into(),
    ];
    let mut by_filter = vec![Vec::new(); filters.len()];
    for _ in 0..RUNS {
        for (f, times) in filters.iter().zip(&mut by_filter) {
            times.push(timed_get(&http, &format!("/v1/console/records?{f}"))?.0);
        }
    }
    for (f, times) in filters.iter().zip(&mut by_filter) {
        let name = if f.is_empty() {
            "(no filter)"
        } else {
            f.as_str()
        };
        println!("bench:   {name}: {}", spread(times));
    }
    let mut samples: Vec<f64> = by_filter.into_iter().flatten().collect();
    let mut figures = vec![
        Figure {
            name: format!(
                "records search p50 ({} filter combinations × {RUNS})",
                filters.len()
            ),
            value: percentile(&mut samples, 50.0),
            unit: "ms",
            target: Target::AtMost(50.0),
        },
        Figure {
            name: "records search p99".into(),
            value: percentile(&mut samples, 99.0),
            unit: "ms",
            target: Target::AtMost(200.0),
        },
    ];
    println!("bench: records search spread {}", spread(&mut samples));

    // Words said in a conversation, names, an email, in four languages.
    let words = [
        NEEDLE.to_owned(),
        "cobrado duas vezes".into(),
        "扣了两次".into(),
        "Lucía García".into(),
        "visitor4242@mail".into(),
        "refund".into(),
        "dirección".into(),
    ];
    let mut text_samples = Vec::new();
    let mut needle_total = None;
    for _ in 0..RUNS {
        for w in &words {
            let (ms, reply) = timed_get(&http, &format!("/v1/console/records?q={}", encode(w)))?;
            text_samples.push(ms);
            if w == NEEDLE {
                needle_total = reply.json["total"].as_u64();
            }
        }
    }
    println!(
        "bench: full-text search spread {}; \"{NEEDLE}\" found in {} tickets (seeded: {})",
        spread(&mut text_samples),
        needle_total.map_or("?".into(), |n| n.to_string()),
        seeded.with_needle
    );
    figures.push(Figure {
        name: format!("full-text search p50 ({} searches × {RUNS})", words.len()),
        value: percentile(&mut text_samples, 50.0),
        unit: "ms",
        target: Target::AtMost(100.0),
    });

    // Page 500 of 50 rows each, reached by following each page's cursor.
    let mut after: Option<String> = None;
    let mut cursors = Vec::new();
    for _ in 0..500 {
        cursors.push(after.clone());
        let path = match &after {
            Some(c) => format!("/v1/console/records?limit=50&after={}", encode(c)),
            None => "/v1/console/records?limit=50".into(),
        };
        let (_, reply) = timed_get(&http, &path)?;
        after = reply.json["next"].as_str().map(str::to_owned);
        if after.is_none() {
            break;
        }
    }
    let deep = cursors.last().cloned().flatten();
    // The two pages alternate, so that the machine's load falls on both alike.
    let path = |after: &Option<String>| match after {
        Some(c) => format!("/v1/console/records?limit=50&after={}", encode(c)),
        None => "/v1/console/records?limit=50".into(),
    };
    let (mut firsts, mut lasts) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        firsts.push(timed_get(&http, &path(&None))?.0);
        lasts.push(timed_get(&http, &path(&deep))?.0);
    }
    let first = percentile(&mut firsts, 50.0);
    let last = percentile(&mut lasts, 50.0);
    println!(
        "bench: page 1 p50 {first:.1} ms, page {} p50 {last:.1} ms",
        cursors.len()
    );
    figures.push(Figure {
        name: format!("records page {} ÷ page 1 (p50 each)", cursors.len()),
        value: last / first,
        unit: "×",
        target: Target::AtMost(1.5),
    });

    // A 30-day report (what the Reports page asks first), in a time zone with summer time, and
    // its ticket count against the list's for the same filters.
    let period = format!("from={month_ago}&to={anchor_day}");
    let mut report_times = Vec::new();
    let mut tickets = None;
    for _ in 0..RUNS {
        let (ms, reply) = timed_get(
            &http,
            &format!("/v1/console/reports?{period}&tz=America%2FSao_Paulo"),
        )?;
        report_times.push(ms);
        tickets = reply.json["tickets"].as_u64();
    }
    let listed = timed_get(&http, &format!("/v1/console/records?{period}&limit=1"))?
        .1
        .json["total"]
        .as_u64();
    println!(
        "bench: 30-day report spread {}; {} tickets in it, {} in the records list for the same \
         period (seeded: {})",
        spread(&mut report_times),
        tickets.map_or("?".into(), |n| n.to_string()),
        listed.map_or("?".into(), |n| n.to_string()),
        seeded.last_30_days
    );
    figures.push(Figure {
        name: format!("30-day report p50 ({RUNS} runs)"),
        value: percentile(&mut report_times, 50.0),
        unit: "ms",
        target: Target::AtMost(300.0),
    });

    // The export of every production row, streamed: its first byte comes at once, and the edge's
    // memory grows no more than when the same rows are read page by page in separate requests,
    // which hold nothing from one to the next. Local D1 is SQLite inside the same workerd, and
    // reading rows through it grows the process's memory by itself (about 100 MB per pass over
    // these rows, paged or exported): that is why the export is compared with paging rather
    // than with zero. A first export, printed apart, reads the database file in.
    let first = export(edge, &http, "")?;
    let paged = page_through(edge, &http)?;
    let full = export(edge, &http, "")?;
    for (what, e) in [
        ("first, D1 reads the table in", &first),
        ("measured", &full),
    ] {
        println!(
            "bench: export ({what}) {} rows in {:.1} s, first byte after {:.0} ms, {:.1} MB; \
             the edge's memory {:.0} MB before, +{:.0} MB at most while it streamed",
            e.rows, e.secs, e.first_byte_ms, e.megabytes, e.before_mb, e.growth_mb
        );
    }
    println!(
        "bench: the same rows read page by page ({} requests of 100): the edge's memory {:.0} MB \
         before, +{:.0} MB at most",
        paged.rows.div_ceil(100),
        paged.before_mb,
        paged.growth_mb
    );
    figures.push(Figure {
        name: format!("CSV export, all {} production rows", full.rows),
        value: full.rows as f64 / full.secs,
        unit: "rows/s",
        target: Target::AtLeast(2_000.0),
    });
    figures.push(Figure {
        name: "CSV export's first byte".into(),
        value: full.first_byte_ms,
        unit: "ms",
        target: Target::AtMost(100.0),
    });
    figures.push(Figure {
        name: "memory growth: export ÷ the same rows paged".into(),
        value: full.growth_mb / paged.growth_mb.max(1.0),
        unit: "×",
        target: Target::AtMost(1.5),
    });
    Ok(figures)
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One export as the bench saw it.
struct Export {
    rows: u64,
    secs: f64,
    first_byte_ms: f64,
    megabytes: f64,
    before_mb: f64,
    growth_mb: f64,
}

/// Runs `work` while the edge's memory is sampled every 50 ms; returns its result, the memory
/// before (MB) and the most it grew by.
fn with_memory<T>(
    edge: &Wrangler,
    work: impl FnOnce() -> std::io::Result<T>,
) -> std::io::Result<(T, f64, f64)> {
    let sample = edge.rss_sampler();
    let before_mb = sample().unwrap_or(0.0);
    let peak = Arc::new(std::sync::Mutex::new(before_mb));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (Arc::clone(&peak), Arc::clone(&done));
        thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(mb) = sample() {
                    let mut p = peak
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    *p = p.max(mb);
                }
                thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let result = work();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let peak_mb = *peak
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok((result?, before_mb, peak_mb - before_mb))
}

/// Downloads the CSV export of `filters`, counting its rows (RFC 4180: a line break inside
/// quotes is not a row's end) while the edge's memory is sampled.
fn export(edge: &Wrangler, http: &Http, filters: &str) -> std::io::Result<Export> {
    let start = Instant::now();
    let ((rows, bytes, first_byte_ms), before_mb, growth_mb) = with_memory(edge, || {
        let mut reader = http.stream_get(&format!("/v1/console/records/export?{filters}"))?;
        let (mut lines, mut bytes, mut first_byte) = (0u64, 0u64, None);
        let mut buf = vec![0u8; 1 << 16];
        let mut in_quotes = false;
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            first_byte.get_or_insert_with(|| start.elapsed().as_secs_f64() * 1000.0);
            bytes += n as u64;
            for &b in &buf[..n] {
                match b {
                    b'"' => in_quotes = !in_quotes,
                    b'\n' if !in_quotes => lines += 1,
                    _ => {}
                }
            }
        }
        Ok((lines.saturating_sub(1), bytes, first_byte.unwrap_or(0.0)))
    })?;
    Ok(Export {
        rows,
        secs: start.elapsed().as_secs_f64(),
        first_byte_ms,
        megabytes: bytes as f64 / 1_048_576.0,
        before_mb,
        growth_mb,
    })
}

/// Reads every production row through the search endpoint, 100 per request, following the
/// cursors, while the edge's memory is sampled.
fn page_through(edge: &Wrangler, http: &Http) -> std::io::Result<Export> {
    let start = Instant::now();
    let (rows, before_mb, growth_mb) = with_memory(edge, || {
        let mut after: Option<String> = None;
        let mut rows = 0u64;
        loop {
            let path = match &after {
                Some(c) => format!("/v1/console/records?limit=100&after={}", encode(c)),
                None => "/v1/console/records?limit=100".into(),
            };
            let (_, reply) = timed_get(http, &path)?;
            rows += reply.json["rows"].as_array().map_or(0, |r| r.len() as u64);
            after = reply.json["next"].as_str().map(str::to_owned);
            if after.is_none() {
                return Ok(rows);
            }
        }
    })?;
    Ok(Export {
        rows,
        secs: start.elapsed().as_secs_f64(),
        first_byte_ms: 0.0,
        megabytes: 0.0,
        before_mb,
        growth_mb,
    })
}
