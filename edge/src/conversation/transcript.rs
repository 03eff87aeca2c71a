//! A conversation's transcript as one printable, self-contained HTML document (pure: the caller
//! passes the items, the tickets, the time, how to write a time for the reader, and the agents'
//! names).
//!
//! Every text that came from a person is HTML-escaped; the page loads nothing (no scripts, no
//! images, no fonts) and carries its own inline style, so it can be served with
//! `Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'`.

use std::collections::BTreeMap;
use std::fmt::Write;

use porchlight_shared::protocol::{AttachmentRef, Author, Consent, Item, Message, TicketView};
use porchlight_shared::Millis;
use serde::{Deserialize, Serialize};

/// Who the transcript is for: the visitor's never shows internal notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The conversation's visitor.
    Visitor,
    /// An agent of the site: internal notes are included and marked as such.
    Agent,
}

/// What the conversation object hands the router to render: the whole history, oldest first,
/// and every ticket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Every item the caller may see, oldest first.
    pub items: Vec<Item>,
    /// Every ticket, newest first.
    pub tickets: Vec<TicketView>,
    /// The latest consent to the site's privacy text on record, if any.
    #[serde(default)]
    pub consent: Option<Consent>,
}

/// Who reads the transcript and how it speaks to them.
pub struct Reader<'a> {
    /// Whose copy it is.
    pub audience: Audience,
    /// When it was made.
    pub generated_at: Millis,
    /// Writes a time in the reader's language and time zone, the zone's name included (the
    /// edge formats with the runtime's `Intl`; tests pass a plain function).
    pub time: &'a dyn Fn(Millis) -> String,
    /// The time zone the times are in, named in the header (`America/Sao_Paulo`, `UTC`).
    pub zone: &'a str,
    /// Agents' display names by id, for the agents named by id only (status changes,
    /// transfers, messages written before names were recorded).
    pub names: &'a BTreeMap<String, String>,
    /// Shown as a page in the team's browser (the records' transcript), not downloaded: files
    /// are links, which their session opens (a saved copy would have nowhere to open them
    /// from), and a hint says how to save it as a PDF.
    pub page: bool,
}

impl Reader<'_> {
    fn author(&self, a: &Author, name: Option<&str>) -> String {
        match a {
            Author::Visitor => "Visitor".to_owned(),
            Author::Agent { id } => escape(
                name.or_else(|| self.names.get(id).map(String::as_str))
                    .unwrap_or(id),
            ),
            Author::Bot { id } => format!("Bot {}", escape(id)),
            Author::System => "Porchlight".to_owned(),
        }
    }

    fn agent(&self, id: &str) -> String {
        escape(self.names.get(id).map_or(id, String::as_str))
    }

    fn time(&self, at: Millis) -> String {
        format!(
            "<time datetime=\"{}\">{}</time>",
            iso8601(at),
            escape(&(self.time)(at))
        )
    }
}

/// The `Content-Security-Policy` the document is served with.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// The download's file name.
pub fn filename(conversation_id: &str) -> String {
    let safe: String = conversation_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    format!("conversation-{safe}.html")
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Milliseconds since the epoch as UTC ISO-8601 (`2023-11-14T22:13:20.000Z`).
pub fn iso8601(ms: Millis) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (h, m, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1_000 % 60,
        in_day % 1_000,
    );
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

/// A file of a message. The site's team gets a link that opens it (their session cookie goes
/// with it); the visitor's copy, read away from the widget, names it only.
fn attachment(a: &AttachmentRef, link: Option<&str>) -> String {
    let name = escape(a.name.as_deref().unwrap_or("unnamed file"));
    let name = match link {
        Some(conversation) => format!(
            "<a href=\"/v1/attachments/{}/{}\">{name}</a>",
            escape(conversation),
            escape(&a.id)
        ),
        None => name,
    };
    format!(
        "<li>{name} ({}, {} bytes)</li>",
        escape(&a.content_type),
        a.size
    )
}

/// What an author is, beside their name (the visitor and Porchlight need no tag).
fn role_tag(a: &Author) -> &'static str {
    match a {
        Author::Agent { .. } => " <span class=\"role\">agent</span>",
        Author::Bot { .. } => " <span class=\"role\">bot</span>",
        Author::Visitor | Author::System => "",
    }
}

fn message(out: &mut String, m: &Message, note: bool, reader: &Reader, conversation: &str) {
    let class = if note { "msg note" } else { "msg" };
    let _ = write!(
        out,
        "<div class=\"{class}\"><p class=\"meta\"><b>{}</b>{} · {}",
        reader.author(&m.author, m.author_name.as_deref()),
        role_tag(&m.author),
        reader.time(m.at)
    );
    if note {
        out.push_str(" · <span class=\"tag\">Internal note</span>");
    }
    if let Some(r) = &m.body.reply_to {
        let _ = write!(out, " · quick reply to #{}", r.seq);
    }
    out.push_str("</p>");
    if !m.body.text.is_empty() {
        let _ = write!(out, "<p class=\"text\">{}</p>", escape(&m.body.text));
    }
    if !m.body.choices.is_empty() {
        out.push_str("<p class=\"choices\">Choices: ");
        let labels: Vec<String> = m
            .body
            .choices
            .iter()
            .map(|c| format!("<span class=\"choice\">{}</span>", escape(&c.label)))
            .collect();
        out.push_str(&labels.join(" "));
        out.push_str("</p>");
    }
    if !m.body.attachments.is_empty() {
        out.push_str("<p class=\"meta\">Attachments:</p><ul>");
        let link = reader.page.then_some(conversation);
        for a in &m.body.attachments {
            out.push_str(&attachment(a, link));
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>");
}

fn status(s: Option<porchlight_shared::Status>) -> &'static str {
    match s {
        None => "created",
        Some(s) => s.as_str(),
    }
}

// The font list names the CJK faces Debian's fonts-noto-cjk installs, so a Chinese message is
// drawn (and printed) in a matching face rather than whatever the browser falls back to.
const STYLE: &str = "body{font:14px/1.45 system-ui,'Noto Sans','Noto Sans CJK SC','Noto Sans CJK JP',sans-serif;color:#111;max-width:46rem;margin:2rem auto;padding:0 1rem}\
h1{font-size:1.3rem}h2{font-size:1.05rem;border-top:2px solid #333;padding-top:.6rem;margin-top:1.6rem}\
.meta{color:#555;margin:.1rem 0}.msg{margin:.7rem 0;padding:.4rem .6rem;border-left:3px solid #bbb}\
.note{background:#fff6d6;border-left-color:#d4a000}.tag{font-weight:bold;color:#6b4e00}\
.text{white-space:pre-wrap;margin:.2rem 0}.event{color:#444;font-style:italic;margin:.5rem 0}\
.choice{display:inline-block;border:1px solid #999;border-radius:1rem;padding:0 .5rem;margin:0 .2rem}\
a{color:#0b57d0}.role{font-size:.8em;color:#555;border:1px solid #bbb;border-radius:.3rem;padding:0 .25rem}\
.hint{background:#eef3fb;padding:.4rem .6rem;border-radius:.3rem}\
@page{margin:16mm 14mm}\
@media print{body{margin:0;max-width:none;font-size:11pt}.hint{display:none}.msg{break-inside:avoid}\
h2{break-after:avoid}a{color:inherit;text-decoration:none}}";

/// The whole document.
pub fn render(conversation_id: &str, record: &Record, reader: &Reader) -> String {
    let audience = reader.audience;
    let mut out = String::new();
    let id = escape(conversation_id);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Conversation {id}</title><style>{STYLE}</style></head><body><main>\
         <h1>Conversation {id}</h1><p class=\"meta\">Transcript generated {}. \
         Times are in the time zone {}.</p>",
        reader.time(reader.generated_at),
        escape(reader.zone)
    );
    if let Some(c) = &record.consent {
        let _ = write!(
            out,
            "<p class=\"meta consent\">Consent given {} · privacy text v{} · {}</p>",
            reader.time(c.at),
            escape(&c.privacy_version),
            escape(&c.locale)
        );
    }
    if audience == Audience::Agent {
        out.push_str("<p class=\"meta\">Agent copy: internal notes are included and marked.</p>");
    }
    if reader.page {
        out.push_str(
            "<p class=\"hint\">To file it as a PDF: print this page and choose \
             \u{201c}Save as PDF\u{201d}.</p>",
        );
    }
    let mut current: Option<u32> = None;
    let visible = record
        .items
        .iter()
        .filter(|i| audience == Audience::Agent || i.visible_to_visitor());
    let mut any = false;
    for item in visible {
        any = true;
        let ticket = item.ticket();
        if current != Some(ticket) {
            if current.is_some() {
                out.push_str("</section>");
            }
            current = Some(ticket);
            let state = record
                .tickets
                .iter()
                .find(|t| t.number == ticket)
                .map(|t| format!(" ({})", t.status.as_str()))
                .unwrap_or_default();
            let _ = write!(out, "<section><h2>Ticket #{ticket}{state}</h2>");
        }
        match item {
            Item::Message(m) => message(&mut out, m, false, reader, conversation_id),
            Item::Note(m) => message(&mut out, m, true, reader, conversation_id),
            Item::StatusChange(c) => {
                let _ = write!(
                    out,
                    "<p class=\"event\">Ticket #{} {} → {} by {} · {}</p>",
                    c.ticket,
                    status(c.from),
                    c.to.as_str(),
                    reader.author(&c.by, None),
                    reader.time(c.at)
                );
            }
            Item::Transfer(t) => {
                let to = match (&t.to_agent, &t.to_skill) {
                    (Some(a), _) => format!("agent {}", reader.agent(a)),
                    (None, Some(s)) => format!("department {}", escape(s)),
                    (None, None) => "routing".to_owned(),
                };
                let _ = write!(
                    out,
                    "<p class=\"event\">Ticket #{} transferred to {to} by {} · {}</p>",
                    t.ticket,
                    reader.author(&t.by, None),
                    reader.time(t.at)
                );
            }
        }
    }
    if current.is_some() {
        out.push_str("</section>");
    }
    if !any {
        out.push_str("<p class=\"meta\">No messages yet.</p>");
    }
    out.push_str("</main></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use porchlight_shared::protocol::{Body, Choice, StatusChange, TransferRecord};
    use porchlight_shared::Status;

    fn msg(seq: u64, ticket: u32, author: Author, text: &str) -> Message {
        Message {
            seq,
            ticket,
            at: 1_700_000_000_000 + seq as i64 * 1_000,
            author,
            author_name: None,
            client_id: format!("m{seq}"),
            body: Body {
                text: text.into(),
                ..Body::default()
            },
        }
    }

    /// A stand-in for the edge's `Intl` formatting: the ISO time and a zone name.
    fn utc(at: Millis) -> String {
        format!("{} UTC", iso8601(at))
    }

    fn page(record: &Record, audience: Audience, generated_at: Millis) -> String {
        page_of("cv_1", record, audience, generated_at)
    }

    fn page_of(id: &str, record: &Record, audience: Audience, generated_at: Millis) -> String {
        let names = BTreeMap::from([("ag1".to_owned(), "Ana Gomes".to_owned())]);
        render(
            id,
            record,
            &Reader {
                audience,
                generated_at,
                time: &utc,
                zone: "UTC",
                names: &names,
                // The records' page is the team's; a visitor's copy is always a download.
                page: audience == Audience::Agent,
            },
        )
    }

    fn record() -> Record {
        let agent = Author::Agent { id: "ag1".into() };
        let mut offer = msg(4, 1, agent.clone(), "Pick one");
        offer.author_name = Some("Ana".into());
        offer.body.choices = vec![Choice {
            id: "y".into(),
            label: "Yes & <b>".into(),
        }];
        let mut files = msg(5, 1, Author::Visitor, "");
        files.body.attachments = vec![AttachmentRef {
            id: "at_1".into(),
            content_type: "application/pdf".into(),
            size: 42,
            name: Some("<invoice>.pdf".into()),
        }];
        Record {
            items: vec![
                Item::StatusChange(StatusChange {
                    seq: 1,
                    ticket: 1,
                    at: 1_700_000_000_000,
                    by: Author::Visitor,
                    from: None,
                    to: Status::New,
                }),
                Item::Message(msg(2, 1, Author::Visitor, "<script>alert(1)</script> & co")),
                Item::Note(msg(3, 1, agent.clone(), "secret note")),
                Item::Message(offer),
                Item::Message(files),
                Item::Transfer(TransferRecord {
                    seq: 6,
                    ticket: 1,
                    at: 1_700_000_006_000,
                    by: agent.clone(),
                    from_agent: Some("ag1".into()),
                    to_agent: None,
                    to_skill: Some("billing".into()),
                }),
                Item::StatusChange(StatusChange {
                    seq: 7,
                    ticket: 1,
                    at: 1_700_000_007_000,
                    by: Author::System,
                    from: Some(Status::Solved),
                    to: Status::Closed,
                }),
                Item::Message(msg(8, 2, Author::Visitor, "again")),
            ],
            tickets: vec![],
            consent: None,
        }
    }

    #[test]
    fn times_are_utc_iso_8601() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn every_text_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        let html = page(&record(), Audience::Visitor, 0);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(html.contains("Yes &amp; &lt;b&gt;"));
        assert!(html.contains("&lt;invoice&gt;.pdf (application/pdf, 42 bytes)"));
        assert!(!html.contains("<b>Yes"));
    }

    #[test]
    fn the_visitor_never_sees_notes_the_agent_sees_them_marked() {
        let visitor = page(&record(), Audience::Visitor, 0);
        assert!(!visitor.contains("secret note"));
        assert!(!visitor.contains("Internal note"));
        let agent = page(&record(), Audience::Agent, 0);
        assert!(agent.contains("secret note"));
        assert!(agent.contains("Internal note"));
    }

    #[test]
    fn tickets_statuses_authors_and_times_are_shown() {
        let html = page(&record(), Audience::Visitor, 1_700_000_100_000);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("Ticket #1</h2>") && html.contains("Ticket #2</h2>"));
        assert!(html.find("Ticket #1</h2>") < html.find("Ticket #2</h2>"));
        assert!(html.contains("Ticket #1 created → new by Visitor"));
        assert!(html.contains("Ticket #1 solved → closed by Porchlight"));
        // Agents by their display name: the one recorded with the message, else the site's.
        assert!(html.contains("transferred to department billing by Ana Gomes"));
        assert!(html.contains("<b>Ana</b>"));
        assert!(!html.contains("ag1"), "no agent shown by id");
        // Times as the reader's formatter writes them, the machine form in `datetime`.
        assert!(html.contains(
            "<time datetime=\"2023-11-14T22:13:22.000Z\">2023-11-14T22:13:22.000Z UTC</time>"
        ));
        assert!(html.contains("Transcript generated <time datetime=\"2023-11-14T22:15:00.000Z\">"));
        assert!(html.contains("Times are in the time zone UTC."));
        // Self-contained: nothing is loaded from anywhere.
        for external in ["<script", "<img", "<link", "src=", "href=", "url("] {
            assert!(!html.contains(external), "{external}");
        }
    }

    #[test]
    fn the_teams_copy_links_each_file_and_tags_its_authors() {
        let html = page(&record(), Audience::Agent, 0);
        assert!(
            html.contains("<a href=\"/v1/attachments/cv_1/at_1\">&lt;invoice&gt;.pdf</a>"),
            "{html}"
        );
        assert!(html.contains("<b>Ana</b> <span class=\"role\">agent</span>"));
        assert!(html.contains("Save as PDF"));
        assert!(html.contains("@media print"));
        let visitor = page(&record(), Audience::Visitor, 0);
        assert!(!visitor.contains("href="));
        assert!(!visitor.contains("Save as PDF"));
    }

    #[test]
    fn the_consent_on_record_is_in_both_copies() {
        assert!(!page(&record(), Audience::Agent, 0).contains("Consent given"));
        let mut with = record();
        with.consent = Some(Consent {
            at: 1_700_000_000_000,
            privacy_version: "3f2a9c1e".into(),
            locale: "pt-BR".into(),
        });
        for audience in [Audience::Visitor, Audience::Agent] {
            let html = page(&with, audience, 0);
            assert!(
                html.contains(
                    "Consent given <time datetime=\"2023-11-14T22:13:20.000Z\">\
                     2023-11-14T22:13:20.000Z UTC</time> · privacy text v3f2a9c1e · pt-BR"
                ),
                "{html}"
            );
        }
    }

    #[test]
    fn an_empty_conversation_and_odd_ids_are_fine() {
        let html = page_of("cv_<x>", &Record::default(), Audience::Visitor, 0);
        assert!(html.contains("No messages yet."));
        assert!(html.contains("cv_&lt;x&gt;"));
        assert_eq!(filename("cv_a\"b"), "conversation-cv_ab.html");
    }
}
