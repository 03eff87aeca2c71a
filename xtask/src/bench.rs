//! `cargo xtask bench`: measurements against a locally running edge (release build, fresh state
//! seeded with edge/seed/test.sql), each printed beside its target. Tests never time things;
//! this command does.

use std::fs;
use std::io;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use porchlight_shared::console::ConsoleEvent;

use porchlight_shared::protocol::{Body, ClientMessage, SendMessage, ServerEvent};
use serde_json::json;

use crate::client::{Http, Socket};
use crate::harness::{self, Wrangler};
use crate::records_seed::{self, Seeded};

const SITE: &str = "t_bench";
const ORIGIN: &str = "https://allowed.example";
const WAIT: Duration = Duration::from_secs(10);
/// The message path before the edge was restructured by platform piece: medians of three runs of
/// `cargo xtask bench edge` on this project's 2-core machine (load average 2.6–6, 2026-11-29,
/// runs: p50 2.64/3.87/2.48 ms, p99 8.56/11.26/7.12 ms, burst 866/482/959 per s, CPU
/// 1.33/1.32/1.25 ms). The restructure's targets are relative to them: p50 at most 0.5×, p99 at
/// most 0.4×, the burst at least 2.5×, the server's CPU per message at most half.
const BEFORE_P50_MS: f64 = 2.64;
const BEFORE_P99_MS: f64 = 8.56;
const BEFORE_BURST_PER_S: f64 = 866.0;
const BEFORE_CPU_PER_MESSAGE_MS: f64 = 1.32;

/// A measured figure and the target it is held to.
pub struct Figure {
    /// What was measured.
    pub name: String,
    /// The measurement.
    pub value: f64,
    /// Its unit.
    pub unit: &'static str,
    /// The target.
    pub target: Target,
}

/// Which side of a limit a figure must be on.
#[derive(Clone, Copy)]
pub enum Target {
    /// At most this much (latencies, sizes).
    AtMost(f64),
    /// At least this much (throughput).
    AtLeast(f64),
}

impl Figure {
    fn met(&self) -> bool {
        match self.target {
            Target::AtMost(t) => self.value <= t,
            Target::AtLeast(t) => self.value >= t,
        }
    }
}

/// Prints figures as a table, each beside its target.
pub fn print(figures: &[Figure]) {
    println!();
    println!("{:<76} {:>12} {:>14}  ", "figure", "measured", "target");
    for f in figures {
        let (op, t) = match f.target {
            Target::AtMost(t) => ("<=", t),
            Target::AtLeast(t) => (">=", t),
        };
        println!(
            "{:<76} {:>9.2} {:<3}{:>4} {:>6} {:<3} {}",
            f.name,
            f.value,
            f.unit,
            op,
            t,
            f.unit,
            if f.met() { "ok" } else { "MISSED" }
        );
    }
    println!();
}

mod records;

/// Which figures to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Every figure.
    All,
    /// The widget's sizes, how quickly the chat opens, and the host page's cost.
    Browser,
    /// The message path through the edge.
    Edge,
    /// The records index of a site with 100 000 conversations: search, paging, export.
    Records,
}

/// Builds the edge, starts it on fresh state and measures `part`.
pub fn run(part: Part) -> io::Result<()> {
    // The widget too: its sizes are measured, and the edge names its files.
    crate::tasks::build()?;
    let state = harness::scratch_dir("bench")?;
    // The host-page probe serves its page on a port of its own: the site it embeds allows it.
    let page_port = harness::free_port()?;
    let host_seed = state.join("host-page.sql");
    fs::write(&host_seed, host_site_seed(page_port))?;
    let mut seeds = ["seed/test.sql", "seed/demo.sql"]
        .map(|f| harness::edge_dir().join(f))
        .to_vec();
    seeds.push(host_seed);
    harness::prepare_persist(&state, &seeds)?;
    let records = if matches!(part, Part::All | Part::Records) {
        Some(seed_records(&state)?)
    } else {
        None
    };
    let mut edge = Wrangler::start_any_port(&state)?;
    println!("bench: edge ready at {}", edge.base_url);
    let result = (|| -> io::Result<Vec<Figure>> {
        let mut f = Vec::new();
        if matches!(part, Part::All | Part::Edge) {
            f.extend(edge_figures(&edge)?);
        }
        if let Some((seeded, anchor)) = records {
            let http = Http::new(&edge.base_url, None);
            let session = console_login(&http, "admin@t_bench.test", "test-admin-password")?;
            f.extend(records::figures(&edge, &session, seeded, anchor)?);
        }
        if matches!(part, Part::All | Part::Browser) {
            f.extend(browser_figures(&edge.base_url)?);
            f.extend(host_figures(&edge.base_url, page_port)?);
        }
        Ok(f)
    })();
    if result.is_err() {
        eprintln!("--- wrangler log (tail) ---\n{}", edge.log_tail());
    }
    edge.stop();
    let _ = fs::remove_dir_all(state);
    print(&result?);
    Ok(())
}

/// Fills the bench site's record index in the local D1 database in `state` with 100 000
/// seeded conversations; returns what it holds and the day it was anchored to (today, UTC: the
/// newest tickets are yesterday's).
fn seed_records(state: &std::path::Path) -> io::Result<(Seeded, i64)> {
    let started = Instant::now();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(io::Error::other)?
        .as_millis() as i64;
    let anchor = now_ms - now_ms.rem_euclid(86_400_000);
    let seeded = records_seed::write(
        &harness::d1_file(state)?,
        SITE,
        records::CONVERSATIONS,
        records::SEED,
        anchor,
    )?;
    println!(
        "bench: {} conversations ({} tickets) seeded in {:.1} s",
        seeded.conversations,
        seeded.tickets,
        started.elapsed().as_secs_f64()
    );
    Ok((seeded, anchor))
}

fn edge_figures(edge: &Wrangler) -> io::Result<Vec<Figure>> {
    let http = Http::new(&edge.base_url, Some(ORIGIN));
    let mut figures = Vec::new();

    let (p50, p99) = latency(&http, 1_000)?;
    figures.push(Figure {
        name: format!(
            "visitor -> agent message latency p50 (1 000 msgs; before: {BEFORE_P50_MS} ms)"
        ),
        value: p50,
        unit: "ms",
        target: Target::AtMost(BEFORE_P50_MS * 0.5),
    });
    figures.push(Figure {
        name: format!(
            "visitor -> agent message latency p99 (1 000 msgs; before: {BEFORE_P99_MS} ms)"
        ),
        value: p99,
        unit: "ms",
        target: Target::AtMost(BEFORE_P99_MS * 0.4),
    });

    let messages = 10_000;
    let cpu_before = edge.cpu_ms()?;
    let (rate, token) = throughput(&http, messages)?;
    let cpu = (edge.cpu_ms()? - cpu_before) / messages as f64;
    figures.push(Figure {
        name: format!("messages per second into one conversation (before: {BEFORE_BURST_PER_S}/s)"),
        value: rate,
        unit: "/s",
        target: Target::AtLeast(BEFORE_BURST_PER_S * 2.5),
    });
    // What the server (wrangler's node and workerd) spent per stored and sent message, measured
    // over the burst above.
    figures.push(Figure {
        name: format!(
            "server CPU per message (burst of 10 000; before: {BEFORE_CPU_PER_MESSAGE_MS} ms)"
        ),
        value: cpu,
        unit: "ms",
        target: Target::AtMost(BEFORE_CPU_PER_MESSAGE_MS * 0.5),
    });

    let page = newest_page(&http, &token, 50)?;
    figures.push(Figure {
        name: "newest history page of a 10 000-message conversation p50".into(),
        value: page,
        unit: "ms",
        target: Target::AtMost(20.0),
    });

    let (p50, p99) = offer_latency(&http, 20, 500)?;
    figures.push(Figure {
        name: "first message -> offered to an agent p50 (500, 20 online)".into(),
        value: p50,
        unit: "ms",
        target: Target::AtMost(25.0),
    });
    figures.push(Figure {
        name: "first message -> offered to an agent p99 (500, 20 online)".into(),
        value: p99,
        unit: "ms",
        target: Target::AtMost(100.0),
    });
    Ok(figures)
}

/// What a browser loads and how quickly the chat opens: brotli sizes of the real build, and the
/// launcher click to an interactive panel in headless Chromium on loopback.
fn browser_figures(base: &str) -> io::Result<Vec<Figure>> {
    let mut figures: Vec<Figure> = crate::widget::widget_sizes()?
        .into_iter()
        .map(|(name, kb, budget)| Figure {
            name: format!("{name} (brotli)"),
            value: kb,
            unit: "KB",
            target: Target::AtMost(budget),
        })
        .collect();
    figures.push(Figure {
        name: "console, initial load (wasm + glue + CSS, brotli)".into(),
        value: crate::console::console_size()?,
        unit: "KB",
        target: Target::AtMost(300.0),
    });
    let out = std::process::Command::new("node")
        .current_dir(harness::repo_root())
        .args([
            "e2e/bench/click-to-interactive.mjs",
            base,
            &RUNS.to_string(),
        ])
        .output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "click-to-interactive probe failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    #[derive(serde::Deserialize)]
    struct Probe {
        warmup_ms: Vec<f64>,
        cold_ms: Vec<f64>,
        warm_ms: Vec<f64>,
    }
    let mut probe: Probe = serde_json::from_slice(&out.stdout).map_err(io::Error::other)?;
    println!(
        "bench: launcher click -> composer usable, warm-up runs (edge starting, not counted): {}",
        probe
            .warmup_ms
            .iter()
            .map(|ms| format!("{ms:.0} ms"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (kind, samples, target) in [
        ("cold", &mut probe.cold_ms, 250.0),
        ("warm", &mut probe.warm_ms, 120.0),
    ] {
        println!("bench: {kind} runs: {}", spread(samples));
        figures.push(Figure {
            name: format!("launcher click -> composer usable, {kind}, p50 ({RUNS} runs)"),
            value: percentile(samples, 50.0),
            unit: "ms",
            target: Target::AtMost(target),
        });
    }
    Ok(figures)
}

/// The site the host-page probe embeds (a colour and corner of its own, so that the loader is
/// baked), allowing the probe's page origin.
const HOST_SITE: &str = "t_host";

fn host_site_seed(page_port: u16) -> String {
    format!(
        "INSERT OR REPLACE INTO sites (id, name, allowed_origins, style, style_secs, secret, \
         created_at, widget_color, widget_position) VALUES ('{HOST_SITE}', 'Host page cost', \
         '[\"http://localhost:{page_port}\"]', 'returning_customer', 86400, \
         'test-secret-t-host', 0, '#0a7f3f', 'left');\n"
    )
}

/// Lighthouse runs of the host-page probe, per kind of page view (with and without the tag
/// alternating): LCP varies by ±20 ms from one run to the next here, as much as the 5 % allowed.
const HOST_RUNS: usize = 5;
/// LCP and TBT with the tag: at most this much over the page without it (issue 9).
const HOST_SLACK: f64 = 1.05;
/// TBT's noise floor: when the page without the tag blocks for less than this, a TBT with the
/// tag under it counts as equal (5 % of a few ms is below what one run to the next varies).
const TBT_FLOOR_MS: f64 = 10.0;
/// What a returning visitor's page view may cost the widget before the chat is opened, KB.
const RETURNING_BUDGET_KB: f64 = 5.0;

/// What the tag costs a content page: Lighthouse (desktop) without the tag, with it for a
/// first-time visitor, and for a returning one (`e2e/bench/host-cost.mjs`), medians of
/// [`HOST_RUNS`] runs, each beside its target; the spread of every figure is printed.
fn host_figures(base: &str, page_port: u16) -> io::Result<Vec<Figure>> {
    let out = std::process::Command::new("node")
        .current_dir(harness::repo_root())
        .args([
            "e2e/bench/host-cost.mjs",
            base,
            &page_port.to_string(),
            HOST_SITE,
            &HOST_RUNS.to_string(),
        ])
        .output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "host-page probe failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    #[derive(serde::Deserialize)]
    struct Run {
        lcp_ms: f64,
        tbt_ms: f64,
        cls: f64,
        requests: f64,
        bytes: f64,
        widget_requests: f64,
        widget_bytes: f64,
        widget_urls: Vec<String>,
    }
    #[derive(serde::Deserialize)]
    struct Probe {
        without: Vec<Run>,
        first: Vec<Run>,
        returning: Vec<Run>,
    }
    let probe: Probe = serde_json::from_slice(&out.stdout).map_err(io::Error::other)?;
    let median = |runs: &[Run], f: fn(&Run) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        let m = percentile(&mut v, 50.0);
        (m, v)
    };
    let show = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.0}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (lcp0, lcp0_runs) = median(&probe.without, |r| r.lcp_ms);
    let (tbt0, tbt0_runs) = median(&probe.without, |r| r.tbt_ms);
    let (cls0, _) = median(&probe.without, |r| r.cls);
    let (req0, _) = median(&probe.without, |r| r.requests);
    let (bytes0, _) = median(&probe.without, |r| r.bytes);
    println!(
        "bench: host page without the tag ({HOST_RUNS} Lighthouse runs): LCP {} ms (runs {}), \
         TBT {} ms (runs {}), CLS {cls0:.3}, {req0:.0} requests, {bytes0:.0} B",
        lcp0.round(),
        show(&lcp0_runs),
        tbt0.round(),
        show(&tbt0_runs),
    );
    let mut figures = Vec::new();
    for (who, runs) in [
        ("first-time visitor", &probe.first),
        ("returning visitor", &probe.returning),
    ] {
        let (lcp, lcp_runs) = median(runs, |r| r.lcp_ms);
        let (tbt, tbt_runs) = median(runs, |r| r.tbt_ms);
        let (cls, cls_runs) = median(runs, |r| r.cls);
        let (req, _) = median(runs, |r| r.requests);
        let (bytes, _) = median(runs, |r| r.bytes);
        let (wreq, _) = median(runs, |r| r.widget_requests);
        let (wbytes, wbytes_runs) = median(runs, |r| r.widget_bytes);
        println!(
            "bench: host page with the tag, {who}: LCP runs {} ms, TBT runs {} ms, CLS runs {}, \
             {req:.0} requests, {bytes:.0} B in all; the widget's {wreq:.0} requests, {wbytes:.0} B \
             (runs {})",
            show(&lcp_runs),
            show(&tbt_runs),
            cls_runs
                .iter()
                .map(|c| format!("{c:.3}"))
                .collect::<Vec<_>>()
                .join(" "),
            show(&wbytes_runs),
        );
        if let Some(run) = runs.first() {
            println!(
                "bench:   the widget's requests (first run): {}",
                run.widget_urls.join(", ")
            );
        }
        figures.push(Figure {
            name: format!("host page LCP with the tag, {who} (without: {lcp0:.0} ms + 5 %)"),
            value: lcp,
            unit: "ms",
            target: Target::AtMost((lcp0 * HOST_SLACK).round()),
        });
        let tbt_target = if tbt0 < TBT_FLOOR_MS {
            TBT_FLOOR_MS
        } else {
            tbt0 * HOST_SLACK
        };
        figures.push(Figure {
            name: format!("host page TBT with the tag, {who} (without: {tbt0:.0} ms)"),
            value: tbt,
            unit: "ms",
            target: Target::AtMost(tbt_target.round()),
        });
        figures.push(Figure {
            name: format!("host page CLS with the tag, {who}"),
            value: cls,
            unit: "",
            target: Target::AtMost(0.0),
        });
        if who == "returning visitor" {
            figures.push(Figure {
                name: "returning visitor's page view, widget bytes before open (empty cache)"
                    .into(),
                value: wbytes / 1024.0,
                unit: "KB",
                target: Target::AtMost(RETURNING_BUDGET_KB),
            });
        }
    }
    Ok(figures)
}

/// Runs of the click benchmark, cold and warm each.
const RUNS: usize = 15;

/// `min / p50 / p90 / max` of `samples`, in ms.
fn spread(samples: &mut [f64]) -> String {
    let max = percentile(samples, 100.0);
    format!(
        "min {:.0} / p50 {:.0} / p90 {:.0} / max {max:.0} ms",
        percentile(samples, 0.0),
        percentile(samples, 50.0),
        percentile(samples, 90.0),
    )
}

/// Signs in to the console of the benchmark site; returns the session.
fn console_login(http: &Http, email: &str, password: &str) -> io::Result<String> {
    let r = http.with_origin(None).post(
        "/v1/console/login",
        None,
        &json!({"site_id": SITE, "email": email, "password": password}),
    )?;
    r.session
        .ok_or_else(|| io::Error::other(format!("sign-in failed: {}", r.text)))
}

/// `agents` agents online (a console tab each), then `tickets` visitors writing one after the
/// other: the time from each first message to its offer reaching an agent's console.
fn offer_latency(http: &Http, agents: usize, tickets: usize) -> io::Result<(f64, f64)> {
    let admin = http.with_origin(None).with_session(&console_login(
        http,
        "admin@t_bench.test",
        "test-admin-password",
    )?);
    let (tx, rx) = mpsc::channel::<(String, Instant)>();
    let mut tabs = Vec::new();
    for i in 0..agents {
        let email = format!("bench{i}@t_bench.test");
        let r = admin.post(
            "/v1/console/agents",
            None,
            &json!({"email": email, "name": format!("Bench {i}"), "role": "agent",
                    "capacity": tickets / agents + 1, "password": "bench-password"}),
        )?;
        if r.status != 201 {
            return Err(io::Error::other(format!("invite: {}", r.text)));
        }
        let session = console_login(http, &email, "bench-password")?;
        let mut tab = Socket::connect_console(http.base(), "/v1/console/ws", Some(&session))
            .map_err(|e| io::Error::other(format!("console socket: {} {}", e.status, e.body)))?;
        let tx = tx.clone();
        tabs.push(thread::spawn(move || {
            // Reads until the socket closes or the benchmark drops the receiver.
            while let Ok(Some(event)) = tab.recv_as::<ConsoleEvent>(Duration::from_secs(30)) {
                if let ConsoleEvent::Offer(t) = event {
                    if tx.send((t.conversation_id, Instant::now())).is_err() {
                        break;
                    }
                }
            }
        }));
    }
    drop(tx);
    let mut samples = Vec::with_capacity(tickets);
    for i in 0..tickets {
        let v = visitor(http)?;
        let body = json!({"client_id": "first", "body": {"text": format!("question {i}")}});
        let start = Instant::now();
        let r = http.post("/v1/visitor/messages", Some(&v.token), &body)?;
        if r.status != 200 {
            return Err(io::Error::other(format!("message: {}", r.text)));
        }
        loop {
            let (conversation, at) = rx
                .recv_timeout(WAIT)
                .map_err(|_| io::Error::other(format!("ticket {i} was never offered")))?;
            if conversation == v.conversation {
                samples.push(at.duration_since(start).as_secs_f64() * 1e3);
                break;
            }
        }
    }
    drop(rx);
    Ok((
        percentile(&mut samples, 50.0),
        percentile(&mut samples, 99.0),
    ))
}

struct Visitor {
    token: String,
    conversation: String,
}

fn visitor(http: &Http) -> io::Result<Visitor> {
    let r = http.post("/v1/visitor/session", None, &json!({ "site_id": SITE }))?;
    let field = |k: &str| {
        r.json[k]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| io::Error::other(format!("session: {}", r.text)))
    };
    Ok(Visitor {
        token: field("token")?,
        conversation: field("conversation_id")?,
    })
}

fn message(client_id: String) -> ClientMessage {
    ClientMessage::SendMessage(SendMessage {
        client_id,
        body: Body {
            text: "How long does shipping to Lisbon take?".into(),
            ..Default::default()
        },
    })
}

fn open(base: &str, path: &str, token: &str, origin: Option<&str>) -> io::Result<Socket> {
    let mut s = Socket::connect(base, path, Some(token), origin)
        .map_err(|e| io::Error::other(format!("socket refused: {} {}", e.status, e.body)))?;
    s.recv(WAIT)?; // welcome
    Ok(s)
}

/// Time from the visitor sending a message to an agent's socket receiving it, one at a time.
fn latency(http: &Http, n: usize) -> io::Result<(f64, f64)> {
    let v = visitor(http)?;
    let mut vs = open(http.base(), "/v1/visitor/ws", &v.token, Some(ORIGIN))?;
    // The first message creates the conversation, so the agent can join it.
    let id = vs.request(message("warmup".into()))?;
    vs.answer(&id, WAIT)?;
    let agent_path = format!("/v1/agent/conversations/{}/ws", v.conversation);
    let mut agent = open(http.base(), &agent_path, "pl_dev_t_bench_agent1", None)?;
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let start = Instant::now();
        let id = vs.request(message(format!("lat{i}")))?;
        let got = agent.recv_until(WAIT, |f| {
            matches!(&f.event, ServerEvent::MessageCreated(m) if m.client_id == format!("lat{i}"))
        })?;
        if got.is_none() {
            return Err(io::Error::other(format!(
                "message {i} never reached the agent"
            )));
        }
        samples.push(start.elapsed().as_secs_f64() * 1e3);
        // Read the visitor's own copy and ack so its socket never backs up.
        vs.answer(&id, WAIT)?;
    }
    Ok((
        percentile(&mut samples, 50.0),
        percentile(&mut samples, 99.0),
    ))
}

/// Messages sent back to back on one socket (up to `window` unacknowledged at a time) until
/// `n` are stored; returns messages per second and the conversation's token.
fn throughput(http: &Http, n: usize) -> io::Result<(f64, String)> {
    let v = visitor(http)?;
    let mut vs = open(http.base(), "/v1/visitor/ws", &v.token, Some(ORIGIN))?;
    let window = 64;
    let start = Instant::now();
    let (mut sent, mut acked) = (0, 0);
    while acked < n {
        while sent < n && sent - acked < window {
            vs.request(message(format!("tp{sent}")))?;
            sent += 1;
        }
        match vs.recv(WAIT)? {
            Some(f) if matches!(f.event, ServerEvent::Ack { .. }) => acked += 1,
            Some(f) if matches!(f.event, ServerEvent::Error(_)) => {
                return Err(io::Error::other(format!("refused: {f:?}")))
            }
            Some(_) => {}
            None => return Err(io::Error::other("throughput: acks stopped arriving")),
        }
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    vs.close();
    Ok((rate, v.token))
}

/// Median time to fetch the newest page of the conversation behind `token`.
fn newest_page(http: &Http, token: &str, runs: usize) -> io::Result<f64> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let r = http.get("/v1/visitor/history?limit=50", Some(token))?;
        samples.push(start.elapsed().as_secs_f64() * 1e3);
        if r.status != 200 || r.json["items"].as_array().map(Vec::len) != Some(50) {
            return Err(io::Error::other(format!(
                "history: {} {}",
                r.status, r.text
            )));
        }
    }
    Ok(percentile(&mut samples, 50.0))
}

/// Nearest-rank percentile of `samples` (sorted in place).
pub fn percentile(samples: &mut [f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let mut v: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut v, 50.0), 50.0);
        assert_eq!(percentile(&mut v, 99.0), 99.0);
        assert_eq!(percentile(&mut v, 100.0), 100.0);
        assert_eq!(percentile(&mut [7.0], 99.0), 7.0);
        assert!(percentile(&mut [], 50.0).is_nan());
    }

    #[test]
    fn targets_are_checked_in_their_direction() {
        let f = |value, target| Figure {
            name: String::new(),
            value,
            unit: "ms",
            target,
        };
        assert!(f(5.0, Target::AtMost(10.0)).met());
        assert!(!f(11.0, Target::AtMost(10.0)).met());
        assert!(f(600.0, Target::AtLeast(500.0)).met());
        assert!(!f(400.0, Target::AtLeast(500.0)).met());
    }
}
