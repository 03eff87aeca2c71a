//! The record detail screen's rules, apart from the browser: the conversation's history as the
//! lines the screen draws (ticket boundaries, messages with who sent them, status changes and
//! transfers), its files, and who the visitor is called. The figures come computed from the edge
//! ([`RecordDetail`]).

use std::collections::BTreeMap;

use porchlight_shared::protocol::{AttachmentRef, Author, Item};
use porchlight_shared::records::detail::RecordDetail;
use porchlight_shared::{Millis, Status};

use crate::actions::status_label;
use crate::words;

/// Who sent a message, as the history names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// Their name ("Ana Agent", "Visitor", "Bot faq").
    pub name: String,
    /// What they are, beside the name ("agent", "bot"); none for the visitor.
    pub tag: Option<&'static str>,
    /// Whether it is the visitor.
    pub visitor: bool,
}

/// One line of the history.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A ticket starts here.
    Ticket {
        /// Its number.
        number: u32,
        /// Its heading ("Ticket 2 · Closed").
        heading: String,
    },
    /// A message or an internal note.
    Message {
        /// Its sequence number.
        seq: u64,
        /// When.
        at: Millis,
        /// Who.
        sender: Sender,
        /// An internal note (never shown to the visitor).
        note: bool,
        /// What it says.
        text: String,
        /// Its files.
        files: Vec<AttachmentRef>,
    },
    /// A status change or a transfer.
    Event {
        /// Its sequence number.
        seq: u64,
        /// When.
        at: Millis,
        /// What happened, in a sentence.
        text: String,
    },
}

/// An agent's display name: the name recorded with what they wrote, else the site's, else id.
fn agent_name(id: &str, recorded: Option<&str>, names: &BTreeMap<String, String>) -> String {
    recorded
        .filter(|n| !n.trim().is_empty())
        .map(str::to_owned)
        .or_else(|| names.get(id).cloned())
        .unwrap_or_else(|| id.to_owned())
}

/// Who `author` is.
pub fn sender(author: &Author, recorded: Option<&str>, names: &BTreeMap<String, String>) -> Sender {
    let (name, tag) = match author {
        Author::Visitor => (words::VISITOR.to_owned(), None),
        Author::Agent { id } => (agent_name(id, recorded, names), Some(words::AGENT_TAG)),
        Author::Bot { id } => (words::bot(id), Some(words::BOT_TAG)),
        Author::System => (words::SYSTEM.to_owned(), None),
    };
    Sender {
        name,
        tag,
        visitor: *author == Author::Visitor,
    }
}

fn status_name(status: Option<Status>) -> &'static str {
    status.map_or("—", status_label)
}

/// The history as the screen draws it: oldest first, a heading where each ticket starts.
pub fn entries(detail: &RecordDetail) -> Vec<Entry> {
    let names = &detail.names;
    let by = |author: &Author| sender(author, None, names).name;
    let mut out = Vec::new();
    let mut current = None;
    for item in &detail.items {
        let ticket = item.ticket();
        if current != Some(ticket) {
            current = Some(ticket);
            let status = detail
                .tickets
                .iter()
                .find(|t| t.number == ticket)
                .and_then(|t| t.status);
            out.push(Entry::Ticket {
                number: ticket,
                heading: words::ticket_heading(ticket, status_name(status)),
            });
        }
        out.push(match item {
            Item::Message(m) | Item::Note(m) => Entry::Message {
                seq: m.seq,
                at: m.at,
                sender: sender(&m.author, m.author_name.as_deref(), names),
                note: matches!(item, Item::Note(_)),
                text: m.body.text.clone(),
                files: m.body.attachments.clone(),
            },
            Item::StatusChange(c) => Entry::Event {
                seq: c.seq,
                at: c.at,
                text: words::status_changed(
                    c.from.map(status_label),
                    status_label(c.to),
                    &by(&c.by),
                ),
            },
            Item::Transfer(t) => {
                let to = match (&t.to_agent, &t.to_skill) {
                    (Some(agent), _) => agent_name(agent, None, names),
                    (None, Some(skill)) => words::department(skill),
                    (None, None) => words::ROUTING.to_owned(),
                };
                Entry::Event {
                    seq: t.seq,
                    at: t.at,
                    text: words::transferred(&to, &by(&t.by)),
                }
            }
        });
    }
    out
}

/// A file of the conversation, with who sent it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct SentFile {
    /// The file.
    pub file: AttachmentRef,
    /// Who sent it.
    pub sender: String,
    /// When.
    pub at: Millis,
}

/// Every file exchanged, oldest first (internal notes' files included: the team exchanged them).
pub fn files(detail: &RecordDetail) -> Vec<SentFile> {
    detail
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Message(m) | Item::Note(m) => Some(m),
            _ => None,
        })
        .flat_map(|m| {
            let who = sender(&m.author, m.author_name.as_deref(), &detail.names).name;
            m.body.attachments.iter().map(move |a| SentFile {
                file: a.clone(),
                sender: who.clone(),
                at: m.at,
            })
        })
        .collect()
}

/// The visitor's name as the title shows it: name, else email, phone or id, else "Visitor".
pub fn visitor_title(detail: &RecordDetail) -> String {
    let v = &detail.visitor;
    [&v.name, &v.email, &v.phone, &v.external_id]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .unwrap_or(words::VISITOR)
        .to_owned()
}

/// The printable transcript's address, its times in `zone` and `locale` (the viewer's).
pub fn transcript_path(conversation_id: &str, zone: &str, locale: &str) -> String {
    let mut query = Vec::new();
    if !zone.is_empty() {
        query.push(format!("tz={}", crate::records::encode(zone)));
    }
    if !locale.is_empty() {
        query.push(format!("locale={}", crate::records::encode(locale)));
    }
    let base = format!("/v1/console/records/{conversation_id}/transcript");
    if query.is_empty() {
        base
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_shared::protocol::{Body, Message, StatusChange, TransferRecord};
    use porchlight_shared::records::detail::{DetailTicket, VisitorFacts};

    fn message(seq: u64, ticket: u32, author: Author, text: &str) -> Message {
        Message {
            seq,
            ticket,
            at: seq as i64 * 1_000,
            author,
            author_name: None,
            client_id: format!("c{seq}"),
            body: Body {
                text: text.into(),
                ..Body::default()
            },
        }
    }

    fn detail() -> RecordDetail {
        let ana = || Author::Agent { id: "ana".into() };
        let mut reply = message(3, 1, ana(), "Olá!");
        reply.author_name = Some("Ana A.".into());
        let mut file = message(4, 1, Author::Visitor, "");
        file.body.attachments = vec![AttachmentRef {
            id: "at_1".into(),
            content_type: "application/pdf".into(),
            size: 10,
            name: Some("fatura.pdf".into()),
        }];
        RecordDetail {
            conversation_id: "cv_1".into(),
            items: vec![
                Item::StatusChange(StatusChange {
                    seq: 1,
                    ticket: 1,
                    at: 1_000,
                    by: Author::Visitor,
                    from: None,
                    to: Status::New,
                }),
                Item::Message(message(2, 1, Author::Visitor, "Meu cartão")),
                Item::Message(reply),
                Item::Message(file),
                Item::Note(message(5, 1, ana(), "check billing")),
                Item::Transfer(TransferRecord {
                    seq: 6,
                    ticket: 1,
                    at: 6_000,
                    by: ana(),
                    from_agent: Some("ana".into()),
                    to_agent: Some("olga".into()),
                    to_skill: None,
                }),
                Item::StatusChange(StatusChange {
                    seq: 7,
                    ticket: 1,
                    at: 7_000,
                    by: Author::Agent { id: "olga".into() },
                    from: Some(Status::Open),
                    to: Status::Solved,
                }),
                Item::Message(message(
                    8,
                    2,
                    Author::Bot { id: "faq".into() },
                    "我能帮你吗",
                )),
            ],
            tickets: vec![
                DetailTicket {
                    number: 1,
                    status: Some(Status::Closed),
                    ..DetailTicket::default()
                },
                DetailTicket {
                    number: 2,
                    status: Some(Status::New),
                    ..DetailTicket::default()
                },
            ],
            names: BTreeMap::from([
                ("ana".into(), "Ana Agent".into()),
                ("olga".into(), "Olga Operator".into()),
            ]),
            ..RecordDetail::default()
        }
    }

    #[test]
    fn the_history_marks_tickets_senders_and_events() {
        let e = entries(&detail());
        let heading = |i: usize| match &e[i] {
            Entry::Ticket { heading, .. } => heading.clone(),
            other => panic!("{other:?}"),
        };
        let event = |i: usize| match &e[i] {
            Entry::Event { text, .. } => text.clone(),
            other => panic!("{other:?}"),
        };
        let said = |i: usize| match &e[i] {
            Entry::Message {
                sender, note, text, ..
            } => (sender.name.clone(), sender.tag, *note, text.clone()),
            other => panic!("{other:?}"),
        };
        assert_eq!(e.len(), 10);
        assert_eq!(heading(0), "Ticket 1 · Closed");
        assert_eq!(event(1), "Ticket created (New) by Visitor");
        assert_eq!(
            said(2),
            ("Visitor".into(), None, false, "Meu cartão".into())
        );
        assert_eq!(
            said(3),
            ("Ana A.".into(), Some("agent"), false, "Olá!".into()),
            "the name recorded with the message"
        );
        assert_eq!(
            said(5),
            (
                "Ana Agent".into(),
                Some("agent"),
                true,
                "check billing".into()
            )
        );
        assert_eq!(event(6), "Transferred to Olga Operator, by Ana Agent");
        assert_eq!(event(7), "Status Open → Solved, by Olga Operator");
        assert_eq!(heading(8), "Ticket 2 · New");
        assert_eq!(
            said(9),
            ("Bot faq".into(), Some("bot"), false, "我能帮你吗".into())
        );
    }

    #[test]
    fn files_name_their_sender_and_the_title_names_the_visitor() {
        let d = detail();
        let f = files(&d);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].file.id.as_str(), f[0].sender.as_str(), f[0].at),
            ("at_1", "Visitor", 4_000)
        );
        assert_eq!(visitor_title(&d), "Visitor");
        let named = RecordDetail {
            visitor: VisitorFacts {
                phone: Some("+5511987654321".into()),
                ..VisitorFacts::default()
            },
            ..d
        };
        assert_eq!(visitor_title(&named), "+5511987654321");
    }

    #[test]
    fn the_transcript_opens_in_the_viewers_zone_and_language() {
        assert_eq!(
            transcript_path("cv_1", "America/Sao_Paulo", "pt-BR"),
            "/v1/console/records/cv_1/transcript?tz=America%2FSao_Paulo&locale=pt-BR"
        );
        assert_eq!(
            transcript_path("cv_1", "", ""),
            "/v1/console/records/cv_1/transcript"
        );
    }
}
