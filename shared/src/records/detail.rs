//! The detail of one conversation's record (`GET /v1/console/records/{conversation}`): every
//! ticket's figures, who the visitor is, and the whole history, as the console's detail page
//! shows them.
//!
//! The figures come from the conversation's own history ([`ticket_facts`]), so they hold even
//! for a ticket whose index row is not written yet; the index rows add what the history does
//! not carry (ratings, channel, environment, the visitor's phone and external id).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::lifecycle::{Millis, Status};
use crate::protocol::{Consent, Item, VisitorProfile};
use crate::records::row::RecordRow;
use crate::records::ticket::ticket_facts;

/// One ticket of the conversation, with its figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailTicket {
    /// Ticket number within the conversation.
    pub number: u32,
    /// Status now (absent for a ticket known only by a row written before its first change).
    pub status: Option<Status>,
    /// Created, ms since the epoch.
    pub created_at: Millis,
    /// From creation to Closed, or to the detail's `now` while live, ms.
    pub duration_ms: Millis,
    /// Messages exchanged (visitor, agents and bots; notes are not counted).
    pub interactions: u32,
    /// From creation to the first agent message, ms; absent before one.
    #[serde(default)]
    pub first_response_ms: Option<Millis>,
    /// From creation to the last solve (or to Closed, when closed unsolved), ms.
    #[serde(default)]
    pub resolution_ms: Option<Millis>,
    /// The agent it is (or was last) assigned to.
    #[serde(default)]
    pub assignee: Option<String>,
    /// Every agent who wrote in it, in order of their first message.
    #[serde(default)]
    pub agents: Vec<String>,
    /// Files exchanged in it.
    #[serde(default)]
    pub files: u32,
    /// Times it was transferred.
    #[serde(default)]
    pub transfers: u32,
    /// CSAT answer, 1–5.
    #[serde(default)]
    pub csat: Option<u8>,
    /// NPS answer, 0–10.
    #[serde(default)]
    pub nps: Option<u8>,
    /// `widget` or `api`, when the index has the ticket.
    #[serde(default)]
    pub channel: Option<String>,
    /// `production` or `test`, when the index has the ticket.
    #[serde(default)]
    pub environment: Option<String>,
}

/// Who the visitor is, from what the widget and the site told the conversation and, where it
/// says nothing, from the index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorFacts {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone (E.164).
    #[serde(default)]
    pub phone: Option<String>,
    /// The site's own id for them.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Whether name, email and id come from a verified identity.
    #[serde(default)]
    pub verified: bool,
    /// The widget's language.
    #[serde(default)]
    pub locale: Option<String>,
    /// The page they were on.
    #[serde(default)]
    pub page_url: Option<String>,
    /// The site's custom attributes, as stored.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

impl VisitorFacts {
    /// The profile's facts, each gap filled from the newest index row that has it.
    pub fn new(profile: &VisitorProfile, rows: &[RecordRow]) -> VisitorFacts {
        let newest_first = || {
            let mut rows: Vec<&RecordRow> = rows.iter().collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.ticket));
            rows
        };
        let from_rows = |pick: fn(&RecordRow) -> &Option<String>| {
            newest_first()
                .into_iter()
                .find_map(|r| pick(r).clone().filter(|v| !v.trim().is_empty()))
        };
        let given = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        VisitorFacts {
            name: given(&profile.name).or_else(|| from_rows(|r| &r.visitor_name)),
            email: given(&profile.email).or_else(|| from_rows(|r| &r.visitor_email)),
            phone: from_rows(|r| &r.visitor_phone),
            external_id: given(&profile.verified_id)
                .or_else(|| from_rows(|r| &r.visitor_external_id)),
            verified: profile.verified,
            locale: given(&profile.locale),
            page_url: given(&profile.page_url),
            attributes: profile.attributes.clone(),
        }
    }
}

/// `GET /v1/console/records/{conversation}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordDetail {
    /// The conversation.
    pub conversation_id: String,
    /// The edge's clock when it was read: a live ticket's duration runs to here.
    pub now: Millis,
    /// Who the visitor is.
    pub visitor: VisitorFacts,
    /// Every ticket, oldest first.
    pub tickets: Vec<DetailTicket>,
    /// The whole history, oldest first, internal notes included.
    pub items: Vec<Item>,
    /// Agents' display names by id (the site's accounts).
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// The latest consent to the site's privacy text, if any.
    #[serde(default)]
    pub consent: Option<Consent>,
}

/// Every ticket that the history or the index knows, oldest first, with its figures as of
/// `now`. The history decides the figures; a ticket only the index knows keeps the row's.
pub fn tickets(items: &[Item], rows: &[RecordRow], now: Millis) -> Vec<DetailTicket> {
    let numbers: BTreeSet<u32> = items
        .iter()
        .map(Item::ticket)
        .chain(rows.iter().map(|r| r.ticket))
        .collect();
    numbers
        .into_iter()
        .map(|number| {
            let row = rows.iter().find(|r| r.ticket == number);
            let from_history = ticket_facts(items, number, now).map(|facts| {
                let mut r = facts.row();
                if let Some(row) = row {
                    // The history has no ratings, channel or environment.
                    r.csat = row.csat;
                    r.nps = row.nps;
                }
                (r, facts.agents)
            });
            let (r, agents) = from_history.unwrap_or_else(|| {
                let r = row.cloned().unwrap_or_default();
                let agents = r.assignee.iter().cloned().collect();
                (r, agents)
            });
            DetailTicket {
                number,
                status: r.status,
                created_at: r.created_at,
                duration_ms: r.closed_at.unwrap_or(now).max(r.created_at) - r.created_at,
                interactions: r.visitor_messages + r.agent_messages + r.bot_messages,
                first_response_ms: r.first_response_ms(),
                resolution_ms: r.resolution_ms(),
                assignee: r.assignee.clone(),
                agents,
                files: r.files,
                transfers: r.transfers,
                csat: r.csat,
                nps: r.nps,
                channel: row.map(|r| r.channel.clone()),
                environment: row.map(|r| r.environment.clone()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{AttachmentRef, Author, Body, Message, StatusChange, TransferRecord};

    const S: Millis = 1_000;

    fn change(seq: u64, ticket: u32, at: Millis, from: Option<Status>, to: Status) -> Item {
        Item::StatusChange(StatusChange {
            seq,
            ticket,
            at,
            by: Author::Agent { id: "olga".into() },
            from,
            to,
        })
    }

    fn said(seq: u64, ticket: u32, at: Millis, author: Author, files: usize) -> Item {
        Item::Message(Message {
            seq,
            ticket,
            at,
            author,
            author_name: None,
            client_id: format!("c{seq}"),
            body: Body {
                text: "oi".into(),
                attachments: (0..files)
                    .map(|i| AttachmentRef {
                        id: format!("at{i}"),
                        content_type: "application/pdf".into(),
                        size: 1,
                        name: None,
                    })
                    .collect(),
                ..Body::default()
            },
        })
    }

    fn history() -> Vec<Item> {
        let olga = || Author::Agent { id: "olga".into() };
        vec![
            change(1, 1, 0, None, Status::New),
            said(2, 1, 0, Author::Visitor, 1),
            said(3, 1, 30 * S, olga(), 0),
            Item::Note(Message {
                seq: 4,
                ticket: 1,
                at: 40 * S,
                author: olga(),
                author_name: None,
                client_id: "n".into(),
                body: Body::default(),
            }),
            Item::Transfer(TransferRecord {
                seq: 5,
                ticket: 1,
                at: 50 * S,
                by: olga(),
                from_agent: Some("olga".into()),
                to_agent: Some("ana".into()),
                to_skill: None,
            }),
            said(6, 1, 60 * S, Author::Agent { id: "ana".into() }, 0),
            change(7, 1, 600 * S, Some(Status::Open), Status::Solved),
            change(8, 1, 1_200 * S, Some(Status::Solved), Status::Closed),
            change(9, 2, 2_000 * S, None, Status::New),
            said(10, 2, 2_000 * S, Author::Visitor, 0),
        ]
    }

    #[test]
    fn each_ticket_has_its_figures_from_the_history_and_its_ratings_from_the_index() {
        let rows = vec![RecordRow {
            ticket: 1,
            csat: Some(5),
            nps: Some(10),
            channel: "widget".into(),
            environment: "production".into(),
            // The history wins over a row that lags behind it.
            agent_messages: 99,
            ..RecordRow::default()
        }];
        let t = tickets(&history(), &rows, 2_100 * S);
        assert_eq!(t.len(), 2);
        let first = &t[0];
        assert_eq!(first.number, 1);
        assert_eq!(first.status, Some(Status::Closed));
        assert_eq!(first.duration_ms, 1_200 * S);
        assert_eq!(first.interactions, 3, "the note is not an interaction");
        assert_eq!(first.first_response_ms, Some(30 * S));
        assert_eq!(first.resolution_ms, Some(600 * S));
        assert_eq!(first.agents, ["olga", "ana"]);
        assert_eq!(first.assignee.as_deref(), Some("ana"), "after the transfer");
        assert_eq!((first.files, first.transfers), (1, 1));
        assert_eq!((first.csat, first.nps), (Some(5), Some(10)));
        assert_eq!(first.channel.as_deref(), Some("widget"));
        let second = &t[1];
        assert_eq!(second.status, Some(Status::New));
        assert_eq!(second.duration_ms, 100 * S, "live: until now");
        assert_eq!(
            (second.first_response_ms, second.resolution_ms),
            (None, None)
        );
        assert_eq!((second.csat, second.channel.as_deref()), (None, None));
    }

    #[test]
    fn a_ticket_only_the_index_knows_keeps_its_row() {
        let rows = vec![RecordRow {
            ticket: 3,
            status: Some(Status::Solved),
            created_at: 10 * S,
            first_response_at: Some(40 * S),
            solved_at: Some(70 * S),
            visitor_messages: 2,
            agent_messages: 1,
            assignee: Some("ana".into()),
            csat: Some(2),
            ..RecordRow::default()
        }];
        let t = tickets(&[], &rows, 100 * S);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].number, 3);
        assert_eq!(t[0].first_response_ms, Some(30 * S));
        assert_eq!(t[0].resolution_ms, Some(60 * S));
        assert_eq!(t[0].duration_ms, 90 * S);
        assert_eq!(t[0].interactions, 3);
        assert_eq!(t[0].agents, ["ana"]);
        assert_eq!(t[0].csat, Some(2));
        assert!(tickets(&[], &[], 0).is_empty());
    }

    #[test]
    fn the_visitor_is_the_profile_with_gaps_filled_from_the_newest_row() {
        let profile = VisitorProfile {
            name: Some("Maria Silva".into()),
            email: Some(" ".into()),
            attributes: BTreeMap::from([("plan".into(), "gold".into())]),
            ..VisitorProfile::default()
        };
        let rows = vec![
            RecordRow {
                ticket: 1,
                visitor_email: Some("old@example.com".into()),
                visitor_phone: Some("+5511987654321".into()),
                ..RecordRow::default()
            },
            RecordRow {
                ticket: 2,
                visitor_name: Some("M.".into()),
                visitor_email: Some("maria@example.com".into()),
                visitor_external_id: Some("cust-1".into()),
                ..RecordRow::default()
            },
        ];
        let v = VisitorFacts::new(&profile, &rows);
        assert_eq!(v.name.as_deref(), Some("Maria Silva"), "the profile first");
        assert_eq!(
            v.email.as_deref(),
            Some("maria@example.com"),
            "the newest row"
        );
        assert_eq!(v.phone.as_deref(), Some("+5511987654321"));
        assert_eq!(v.external_id.as_deref(), Some("cust-1"));
        assert_eq!(v.attributes["plan"], "gold");
        assert_eq!(
            VisitorFacts::new(&VisitorProfile::default(), &[]),
            VisitorFacts::default()
        );
    }
}
