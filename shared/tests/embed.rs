//! Golden tests for the loader ↔ frame postMessage protocol. The loader is hand-written
//! JavaScript cached on customers' pages: these shapes are what it reads and writes.

#![allow(clippy::unwrap_used)] // a test suite: failing loudly is the point

use porchlight_shared::embed::*;
use porchlight_shared::protocol::{Author, IdentifyRequest};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

/// Serialises to exactly `golden` and parses back to the same value.
fn pinned<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T, golden: Value) {
    assert_eq!(serde_json::to_value(&value).unwrap(), golden);
    assert_eq!(serde_json::from_value::<T>(golden).unwrap(), value);
}

#[test]
fn host_messages() {
    pinned(
        Envelope::new(HostMessage::Open),
        json!({"ns": "porchlight", "v": 1, "type": "open"}),
    );
    pinned(
        Envelope::new(HostMessage::Close),
        json!({"ns": "porchlight", "v": 1, "type": "close"}),
    );
    pinned(
        Envelope::new(HostMessage::Identify(IdentifyRequest {
            id: "user-981".into(),
            name: Some("Joana Silva".into()),
            email: None,
            hash: "f6e5".into(),
        })),
        json!({"ns": "porchlight", "v": 1, "type": "identify", "id": "user-981",
               "name": "Joana Silva", "hash": "f6e5"}),
    );
    pinned(
        Envelope::new(HostMessage::Attributes {
            attributes: [("plan".to_owned(), "pro".to_owned())].into(),
        }),
        json!({"ns": "porchlight", "v": 1, "type": "attributes", "attributes": {"plan": "pro"}}),
    );
    pinned(
        Envelope::new(HostMessage::Reset),
        json!({"ns": "porchlight", "v": 1, "type": "reset"}),
    );
    pinned(
        Envelope::new(HostMessage::Layout { full: true }),
        json!({"ns": "porchlight", "v": 1, "type": "layout", "full": true}),
    );
    pinned(
        Envelope::new(HostMessage::Page {
            url: "https://shop.example/a?b=1#c".into(),
        }),
        json!({"ns": "porchlight", "v": 1, "type": "page", "url": "https://shop.example/a?b=1#c"}),
    );
}

#[test]
fn frame_messages() {
    pinned(
        Envelope::new(FrameMessage::Ready { returning: true }),
        json!({"ns": "porchlight", "v": 1, "type": "ready", "returning": true}),
    );
    pinned(
        Envelope::new(FrameMessage::CloseRequested),
        json!({"ns": "porchlight", "v": 1, "type": "close_requested"}),
    );
    pinned(
        Envelope::new(FrameMessage::Unread { count: 3 }),
        json!({"ns": "porchlight", "v": 1, "type": "unread", "count": 3}),
    );
    pinned(
        Envelope::new(FrameMessage::Message {
            seq: 9,
            author: Author::Agent { id: "alice".into() },
            text: "Hello".into(),
        }),
        json!({"ns": "porchlight", "v": 1, "type": "message", "seq": 9,
               "author": {"kind": "agent", "id": "alice"}, "text": "Hello"}),
    );
    pinned(
        Envelope::new(FrameMessage::Style {
            color: "#0f766e".into(),
            position: porchlight_shared::protocol::WidgetPosition::Left,
        }),
        json!({"ns": "porchlight", "v": 1, "type": "style", "color": "#0f766e", "position": "left"}),
    );
    pinned(
        Envelope::new(FrameMessage::Resize { expanded: true }),
        json!({"ns": "porchlight", "v": 1, "type": "resize", "expanded": true}),
    );
}

#[test]
fn unknown_types_are_values() {
    let host: Envelope<HostMessage> =
        serde_json::from_value(json!({"ns": "porchlight", "v": 2, "type": "shake", "id": "u1"}))
            .unwrap();
    assert_eq!(host.msg, HostMessage::Unknown);
    let frame: Envelope<FrameMessage> =
        serde_json::from_value(json!({"ns": "porchlight", "v": 2, "type": "wiggle", "h": 10}))
            .unwrap();
    assert_eq!(frame.msg, FrameMessage::Unknown);
}

#[test]
fn foreign_messages_are_not_ours() {
    let other: Envelope<HostMessage> =
        serde_json::from_value(json!({"ns": "somebody-else", "v": 1, "type": "open"})).unwrap();
    assert!(!other.is_ours());
    assert!(Envelope::new(HostMessage::Open).is_ours());
    // Without a namespace it is not even an envelope.
    assert!(serde_json::from_value::<Envelope<HostMessage>>(json!({"type": "open"})).is_err());
}

#[test]
fn type_lists_match_the_enums() {
    let hosts = [
        HostMessage::Open,
        HostMessage::Close,
        HostMessage::Identify(IdentifyRequest {
            id: "u".into(),
            name: None,
            email: None,
            hash: "h".into(),
        }),
        HostMessage::Attributes {
            attributes: Default::default(),
        },
        HostMessage::Reset,
        HostMessage::Layout { full: false },
        HostMessage::Page { url: String::new() },
    ];
    assert_eq!(hosts.len(), HOST_MESSAGE_TYPES.len());
    for (t, msg) in HOST_MESSAGE_TYPES.iter().zip(hosts) {
        assert_eq!(serde_json::to_value(&msg).unwrap()["type"], *t);
    }
    let frames = [
        FrameMessage::Ready { returning: false },
        FrameMessage::CloseRequested,
        FrameMessage::Unread { count: 0 },
        FrameMessage::Message {
            seq: 1,
            author: Author::Visitor,
            text: "x".into(),
        },
        FrameMessage::Style {
            color: "#000000".into(),
            position: porchlight_shared::protocol::WidgetPosition::Right,
        },
        FrameMessage::Resize { expanded: false },
    ];
    assert_eq!(frames.len(), FRAME_MESSAGE_TYPES.len());
    for (t, msg) in FRAME_MESSAGE_TYPES.iter().zip(frames) {
        assert_eq!(serde_json::to_value(&msg).unwrap()["type"], *t);
    }
}
