//! Turns a lifecycle [`Decision`] into what the conversation stores: numbered status-change items
//! and ticket rows. Pure, so the numbering rules are tested natively.

use porchlight_shared::lifecycle::{Decision, LiveTicket, Which};
use porchlight_shared::protocol::{Author, Item, StatusChange};
use porchlight_shared::{Millis, Status};

use super::store::Live;

/// A ticket row to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketWrite {
    /// Ticket number.
    pub number: u32,
    /// Status after the change.
    pub status: Status,
    /// Owner after the change.
    pub assignee: Option<String>,
    /// Close deadline, for a Solved ticket.
    pub close_at: Option<Millis>,
}

/// Everything one decision writes.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Status changes, with their sequence numbers, in order.
    pub items: Vec<Item>,
    /// Ticket rows to write.
    pub tickets: Vec<TicketWrite>,
    /// The live ticket afterwards.
    pub live: Option<Live>,
}

/// Numbers the decision's transitions from `next_seq`, and a created ticket from
/// `last_ticket + 1`. Closings the clock or the style cause are by `system`; "finish" is by the
/// actor who finished.
pub fn plan(
    live: Option<&Live>,
    last_ticket: u32,
    next_seq: u64,
    decision: Decision,
    actor: &Author,
    finishing: bool,
    now: Millis,
) -> Plan {
    let current = live.map(|l| l.number).unwrap_or(last_ticket);
    let created = last_ticket + 1;
    let mut p = Plan::default();
    let mut touched_created = false;
    for (seq, t) in (next_seq..).zip(&decision.transitions) {
        let number = match t.ticket {
            Which::Current => current,
            Which::Created => {
                touched_created = true;
                created
            }
        };
        let by = if t.to == Status::Closed && !finishing {
            Author::System
        } else {
            actor.clone()
        };
        p.items.push(Item::StatusChange(StatusChange {
            seq,
            ticket: number,
            at: now,
            by,
            from: t.from,
            to: t.to,
        }));
        if t.to == Status::Closed {
            let assignee = live.and_then(|l| l.ticket.assignee.clone());
            p.tickets.push(TicketWrite {
                number,
                status: Status::Closed,
                assignee,
                close_at: None,
            });
        }
    }
    // No transition, no change: the live ticket stays as it is and nothing is rewritten.
    if decision.transitions.is_empty() {
        p.live = live.cloned();
        return p;
    }
    if let Some(LiveTicket {
        status,
        assignee,
        close_at,
    }) = decision.live
    {
        let number = if touched_created { created } else { current };
        p.tickets.push(TicketWrite {
            number,
            status,
            assignee: assignee.clone(),
            close_at,
        });
        let ticket = LiveTicket {
            status,
            assignee,
            close_at,
        };
        // The same ticket keeps who answered in it and its rating; a new one has neither.
        p.live = Some(match live.filter(|l| l.number == number) {
            Some(l) => Live {
                ticket,
                ..l.clone()
            },
            None => Live::new(number, ticket),
        });
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_shared::lifecycle::{decide, Event};
    use porchlight_shared::ConversationStyle;

    const NOW: Millis = 1_000;

    fn live(number: u32, status: Status, close_at: Option<Millis>) -> Live {
        Live::new(
            number,
            LiveTicket {
                status,
                assignee: Some("a1".into()),
                close_at,
            },
        )
    }

    fn changes(p: &Plan) -> Vec<(u64, u32, Option<Status>, Status, Author)> {
        p.items
            .iter()
            .map(|i| match i {
                Item::StatusChange(c) => (c.seq, c.ticket, c.from, c.to, c.by.clone()),
                other => unreachable!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_first_message_creates_ticket_one() {
        let d = decide(
            None,
            &Event::VisitorMessage,
            &ConversationStyle::default(),
            NOW,
        )
        .unwrap();
        let p = plan(None, 0, 1, d, &Author::Visitor, false, NOW);
        assert_eq!(
            changes(&p),
            vec![(1, 1, None, Status::New, Author::Visitor)]
        );
        assert_eq!(
            p.live.map(|l| (l.number, l.ticket.status)),
            Some((1, Status::New))
        );
    }

    #[test]
    fn live_chat_closes_the_old_ticket_and_opens_the_next_number() {
        let style = ConversationStyle::LiveChat {
            close_delay_secs: 60,
        };
        let l = live(3, Status::Solved, Some(NOW + 60_000));
        let d = decide(Some(&l.ticket), &Event::VisitorMessage, &style, NOW).unwrap();
        let p = plan(Some(&l), 3, 20, d, &Author::Visitor, false, NOW);
        assert_eq!(
            changes(&p),
            vec![
                (20, 3, Some(Status::Solved), Status::Closed, Author::System),
                (21, 4, None, Status::New, Author::Visitor),
            ]
        );
        let rows: Vec<_> = p.tickets.iter().map(|t| (t.number, t.status)).collect();
        assert_eq!(rows, vec![(3, Status::Closed), (4, Status::New)]);
        assert_eq!(p.live.map(|l| l.number), Some(4));
    }

    #[test]
    fn a_message_on_an_open_ticket_writes_no_ticket_row() {
        let l = live(1, Status::Open, None);
        let style = ConversationStyle::default();
        let d = decide(Some(&l.ticket), &Event::VisitorMessage, &style, NOW).unwrap();
        let p = plan(Some(&l), 1, 5, d, &Author::Visitor, false, NOW);
        assert!(p.items.is_empty() && p.tickets.is_empty());
        assert_eq!(
            p.live.map(|l| (l.number, l.ticket.status)),
            Some((1, Status::Open))
        );
    }

    #[test]
    fn finish_is_recorded_as_the_agents_act() {
        let agent = Author::Agent { id: "a1".into() };
        let l = live(2, Status::Pending, None);
        let d = decide(
            Some(&l.ticket),
            &Event::Finish,
            &ConversationStyle::default(),
            NOW,
        )
        .unwrap();
        let p = plan(Some(&l), 2, 9, d, &agent, true, NOW);
        assert_eq!(
            changes(&p),
            vec![(9, 2, Some(Status::Pending), Status::Closed, agent)]
        );
        assert!(p.live.is_none());
    }
}
