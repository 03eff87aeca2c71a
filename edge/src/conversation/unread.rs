//! How many of the site's messages a returning visitor has not read: what the unread frame
//! (`pages::unread`) shows on the launcher's badge, counted by the conversation object (pure).

use porchlight_shared::protocol::{Author, Item, MAX_UNREAD};
use porchlight_shared::ErrorCode;
use worker::Request;

use crate::error::{EdgeError, EdgeResult};

/// The site's messages (agents', the system's; never the visitor's own, never notes) among
/// `items`.
pub fn unread_in(items: &[Item]) -> u32 {
    let n = items
        .iter()
        .filter(|i| matches!(i, Item::Message(m) if m.author != Author::Visitor))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `after` from `?after=SEQ` (0 when absent): a whole number, else `invalid_field`.
pub fn after_param(req: &Request) -> EdgeResult<u64> {
    #[derive(serde::Deserialize)]
    struct Q {
        after: Option<u64>,
    }
    let q: Q = req
        .query()
        .map_err(|_| EdgeError::new(ErrorCode::InvalidField, "after must be a whole number"))?;
    Ok(q.after.unwrap_or(0))
}

/// The count [`unread_in`] gives over batches read one after the other, stopping at
/// [`MAX_UNREAD`] or at the end: `next(after)` reads the items after `after`, in order, at most
/// `batch` of them.
pub fn count_unread(
    mut after: u64,
    batch: usize,
    mut next: impl FnMut(u64) -> EdgeResult<Vec<Item>>,
) -> EdgeResult<u32> {
    let mut count = 0;
    loop {
        let items = next(after)?;
        count += unread_in(&items);
        match items.last() {
            Some(last) if items.len() >= batch && count < MAX_UNREAD => after = last.seq(),
            _ => return Ok(count.min(MAX_UNREAD)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_shared::protocol::{Body, Message};

    fn message(seq: u64, author: Author) -> Item {
        Item::Message(Message {
            seq,
            ticket: 1,
            at: 0,
            author,
            author_name: None,
            client_id: format!("c{seq}"),
            body: Body::default(),
        })
    }

    #[test]
    fn only_the_sites_messages_count() {
        let agent = Author::Agent { id: "alice".into() };
        let items = vec![
            message(1, Author::Visitor),
            message(2, agent.clone()),
            Item::Note(match message(3, agent.clone()) {
                Item::Message(m) => m,
                _ => unreachable!(),
            }),
            message(4, agent),
        ];
        assert_eq!(unread_in(&items), 2);
        assert_eq!(unread_in(&[]), 0);
    }

    #[test]
    fn counting_pages_through_and_stops_at_the_cap() {
        let agent = Author::Agent { id: "alice".into() };
        let all: Vec<Item> = (1..=500).map(|s| message(s, agent.clone())).collect();
        let read = |after: u64| -> EdgeResult<Vec<Item>> {
            Ok(all
                .iter()
                .filter(|i| i.seq() > after)
                .take(40)
                .cloned()
                .collect())
        };
        assert_eq!(count_unread(0, 40, read).unwrap(), MAX_UNREAD);
        assert_eq!(count_unread(450, 40, read).unwrap(), 50);
        assert_eq!(count_unread(500, 40, read).unwrap(), 0);
    }
}
