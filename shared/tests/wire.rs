//! Golden tests: the JSON shape of every frame is pinned here. A change that breaks one of these
//! breaks every widget already cached in visitors' browsers.

#![allow(clippy::unwrap_used)] // a test suite: failing loudly is the point

use porchlight_shared::protocol::*;
use porchlight_shared::{ErrorCode, Status};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

/// Serialises to exactly `golden` and parses back to the same value.
fn pinned<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T, golden: Value) {
    assert_eq!(serde_json::to_value(&value).unwrap(), golden);
    assert_eq!(serde_json::from_value::<T>(golden).unwrap(), value);
}

fn client(id: Option<&str>, msg: ClientMessage) -> ClientFrame {
    ClientFrame {
        id: id.map(Into::into),
        msg,
    }
}

fn server(re: Option<&str>, event: ServerEvent) -> ServerFrame {
    ServerFrame {
        re: re.map(Into::into),
        event,
    }
}

fn message() -> Message {
    Message {
        seq: 7,
        ticket: 2,
        at: 1_700_000_000_000,
        author: Author::Agent { id: "ag_1".into() },
        author_name: None,
        client_id: "m-1".into(),
        body: Body {
            text: "Olá!".into(),
            ..Default::default()
        },
    }
}

#[test]
fn client_frames() {
    pinned(
        client(Some("r1"), ClientMessage::Resume { after_seq: 41 }),
        json!({"id": "r1", "type": "resume", "after_seq": 41}),
    );
    pinned(
        client(
            Some("r2"),
            ClientMessage::SendMessage(SendMessage {
                client_id: "m-1".into(),
                body: Body {
                    text: "hi".into(),
                    ..Default::default()
                },
            }),
        ),
        json!({"id": "r2", "type": "send_message", "client_id": "m-1", "body": {"text": "hi"}}),
    );
    pinned(
        client(None, ClientMessage::Typing { on: true }),
        json!({"type": "typing", "on": true}),
    );
    pinned(
        client(Some("r3"), ClientMessage::Accept),
        json!({"id": "r3", "type": "accept"}),
    );
    pinned(
        client(Some("r4"), ClientMessage::SetStatus { to: Status::OnHold }),
        json!({"id": "r4", "type": "set_status", "to": "on_hold"}),
    );
    pinned(
        client(None, ClientMessage::Finish),
        json!({"type": "finish"}),
    );
    pinned(client(None, ClientMessage::Ping), json!({"type": "ping"}));
    pinned(
        client(
            Some("r1"),
            ClientMessage::Rate(Rating {
                csat: 5,
                nps: None,
                comment: None,
            }),
        ),
        json!({"type": "rate", "id": "r1", "csat": 5}),
    );
}

#[test]
fn server_frames() {
    pinned(
        server(
            None,
            ServerEvent::Welcome(Welcome {
                protocol: 1,
                conversation_id: "cv_1".into(),
                role: Role::Visitor,
                last_seq: 9,
                ticket: Some(TicketView {
                    number: 2,
                    status: Status::Solved,
                    assignee: Some("ag_1".into()),
                    close_at: Some(1_700_000_360_000),
                    rateable: true,
                    rating: Some(Rating {
                        csat: 4,
                        nps: Some(9),
                        comment: Some("Rápido".into()),
                    }),
                }),
            }),
        ),
        json!({"type": "welcome", "protocol": 1, "conversation_id": "cv_1", "role": {"kind": "visitor"}, "last_seq": 9,
            "ticket": {"number": 2, "status": "solved", "assignee": "ag_1", "close_at": 1_700_000_360_000u64,
                       "rateable": true, "rating": {"csat": 4, "nps": 9, "comment": "Rápido"}}}),
    );
    pinned(
        server(None, ServerEvent::MessageCreated(message())),
        json!({"type": "message_created", "seq": 7, "ticket": 2, "at": 1_700_000_000_000u64, "author": {"kind": "agent", "id": "ag_1"},
            "client_id": "m-1", "body": {"text": "Olá!"}}),
    );
    let change = StatusChange {
        seq: 8,
        ticket: 2,
        at: 1_700_000_000_001,
        by: Author::System,
        from: None,
        to: Status::New,
    };
    pinned(
        server(None, ServerEvent::TicketStatusChanged(change.clone())),
        json!({"type": "ticket_status_changed", "seq": 8, "ticket": 2, "at": 1_700_000_000_001u64, "by": {"kind": "system"}, "from": null, "to": "new"}),
    );
    pinned(
        server(
            Some("r1"),
            ServerEvent::Sync {
                items: vec![Item::Message(message()), Item::StatusChange(change)],
                complete: true,
            },
        ),
        json!({"re": "r1", "type": "sync", "complete": true, "items": [
            {"kind": "message", "seq": 7, "ticket": 2, "at": 1_700_000_000_000u64,
             "author": {"kind": "agent", "id": "ag_1"}, "client_id": "m-1", "body": {"text": "Olá!"}},
            {"kind": "status_change", "seq": 8, "ticket": 2, "at": 1_700_000_000_001u64,
             "by": {"kind": "system"}, "from": null, "to": "new"}
        ]}),
    );
    pinned(
        server(
            Some("r2"),
            ServerEvent::Ack {
                client_id: "m-1".into(),
                seq: 7,
            },
        ),
        json!({"re": "r2", "type": "ack", "client_id": "m-1", "seq": 7}),
    );
    pinned(
        server(
            None,
            ServerEvent::Typing {
                author: Author::Visitor,
                on: false,
            },
        ),
        json!({"type": "typing", "author": {"kind": "visitor"}, "on": false}),
    );
    pinned(
        server(Some("p"), ServerEvent::Pong),
        json!({"re": "p", "type": "pong"}),
    );
    pinned(
        server(Some("r5"), ServerEvent::Ok),
        json!({"re": "r5", "type": "ok"}),
    );
    pinned(
        server(None, ServerEvent::TicketUpdated { ticket: None }),
        json!({"type": "ticket_updated", "ticket": null}),
    );
    pinned(
        server(
            Some("r9"),
            ServerEvent::Error(ErrorBody {
                code: ErrorCode::InvalidTransition,
                message: "cannot go from closed to open".into(),
            }),
        ),
        json!({"re": "r9", "type": "error", "code": "invalid_transition", "message": "cannot go from closed to open"}),
    );
}

#[test]
fn unknown_types_are_values_not_errors() {
    let newer: ClientFrame =
        serde_json::from_value(json!({"id": "x", "type": "share_screen", "fps": 30})).unwrap();
    assert_eq!(newer, client(Some("x"), ClientMessage::Unknown));
    let newer: ServerFrame =
        serde_json::from_value(json!({"type": "agent_joined", "id": "ag_2"})).unwrap();
    assert_eq!(newer.event, ServerEvent::Unknown);
    let code: ErrorCode = serde_json::from_value(json!("quota_exceeded")).unwrap();
    assert_eq!(code, ErrorCode::Unknown);
}

#[test]
fn malformed_frames_are_refused() {
    for bad in [
        json!({"type": "send_message", "client_id": "m"}),
        json!({"type": "resume", "after_seq": -1}),
        json!({}),
        json!("send_message"),
    ] {
        assert!(
            serde_json::from_value::<ClientFrame>(bad.clone()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn http_bodies() {
    pinned(
        SessionRequest {
            site_id: "demo".into(),
            token: None,
        },
        json!({"site_id": "demo"}),
    );
    pinned(
        ErrorResponse {
            error: ErrorBody {
                code: ErrorCode::OriginNotAllowed,
                message: "no".into(),
            },
        },
        json!({"error": {"code": "origin_not_allowed", "message": "no"}}),
    );
    pinned(
        HistoryPage {
            items: vec![Item::Message(message())],
            next_before: Some(7),
        },
        json!({"items": [{"kind": "message", "seq": 7, "ticket": 2, "at": 1_700_000_000_000u64,
            "author": {"kind": "agent", "id": "ag_1"}, "client_id": "m-1", "body": {"text": "Olá!"}}],
            "next_before": 7}),
    );
}

#[test]
fn quick_replies() {
    let offer = Message {
        body: Body {
            text: "How can we help?".into(),
            choices: vec![
                Choice {
                    id: "billing".into(),
                    label: "Billing".into(),
                },
                Choice {
                    id: "tech".into(),
                    label: "Technical help".into(),
                },
            ],
            ..Default::default()
        },
        ..message()
    };
    pinned(
        server(None, ServerEvent::MessageCreated(offer)),
        json!({"type": "message_created", "seq": 7, "ticket": 2, "at": 1_700_000_000_000u64, "author": {"kind": "agent", "id": "ag_1"},
            "client_id": "m-1", "body": {"text": "How can we help?", "choices": [
                {"id": "billing", "label": "Billing"}, {"id": "tech", "label": "Technical help"}]}}),
    );
    pinned(
        client(
            Some("r6"),
            ClientMessage::SendMessage(SendMessage {
                client_id: "v-9".into(),
                body: Body {
                    text: String::new(),
                    reply_to: Some(ReplyTo {
                        seq: 7,
                        choice_id: "tech".into(),
                    }),
                    ..Default::default()
                },
            }),
        ),
        json!({"id": "r6", "type": "send_message", "client_id": "v-9",
            "body": {"text": "", "reply_to": {"seq": 7, "choice_id": "tech"}}}),
    );
    // As stored: the chosen label is the text.
    pinned(
        Body {
            text: "Technical help".into(),
            reply_to: Some(ReplyTo {
                seq: 7,
                choice_id: "tech".into(),
            }),
            ..Default::default()
        },
        json!({"text": "Technical help", "reply_to": {"seq": 7, "choice_id": "tech"}}),
    );
    // An older client's body (no choices, no reply_to) still parses.
    let old: Body = serde_json::from_value(json!({"text": "hi"})).unwrap();
    assert!(old.choices.is_empty() && old.reply_to.is_none());
}

#[test]
fn every_error_code_has_a_distinct_name_and_an_error_status() {
    let names: std::collections::HashSet<String> = ErrorCode::ALL
        .iter()
        .map(|c| serde_json::to_string(c).unwrap())
        .collect();
    assert_eq!(names.len(), ErrorCode::ALL.len());
    assert!(ErrorCode::ALL
        .iter()
        .all(|c| (400..600).contains(&c.http_status())));
}

#[test]
fn availability_and_agent_names() {
    pinned(
        server(
            None,
            ServerEvent::Availability {
                agents_online: true,
                team: vec!["Alice".into(), "Ada Admin".into()],
            },
        ),
        json!({"type": "availability", "agents_online": true, "team": ["Alice", "Ada Admin"]}),
    );
    pinned(
        server(
            None,
            ServerEvent::Availability {
                agents_online: false,
                team: vec![],
            },
        ),
        json!({"type": "availability", "agents_online": false, "team": []}),
    );
    // An agent's message carries the agent's display name; an old one without it still reads.
    let named = Message {
        author_name: Some("Alice".into()),
        ..message()
    };
    pinned(
        server(None, ServerEvent::MessageCreated(named)),
        json!({"type": "message_created", "seq": 7, "ticket": 2, "at": 1_700_000_000_000u64,
            "author": {"kind": "agent", "id": "ag_1"}, "author_name": "Alice",
            "client_id": "m-1", "body": {"text": "Olá!"}}),
    );
    // A config from an edge before the team card and site welcome reads with none.
    let old: WidgetConfig = serde_json::from_value(json!({"site_id": "demo", "color": "#2563eb",
        "position": "right", "away_message": "", "expected_wait": "", "privacy_text": "",
        "consent_required": false, "prechat_fields": [], "agents_online": true}))
    .unwrap();
    assert!(old.team.is_empty() && old.welcome.is_empty());
}
