//! The conversation's reports to the site's team object, coalesced (pure: the caller passes
//! `now`). A message never waits for the team: it leaves the newest state of its ticket here,
//! and one sender in the background sends what is waiting, at most once per [`REPORT_GAP`]. A
//! burst of messages therefore costs the team a few reports a second, each with the newest
//! state; the first change after a quiet spell (a new ticket, which routing offers to an agent)
//! goes at once.

use std::collections::BTreeMap;

use porchlight_shared::Millis;

use crate::team::client::TicketReport;

/// Shortest time between two sends to the team.
pub const REPORT_GAP: Millis = 250;

/// The newest report of each ticket still to send, and the sender's state.
#[derive(Debug, Default)]
pub struct Reports {
    pending: BTreeMap<u32, TicketReport>,
    sending: bool,
    last_sent: Option<Millis>,
}

/// What the sender does next.
#[derive(Debug, PartialEq)]
pub enum Next {
    /// Send these, one per ticket, in ticket order.
    Send(Vec<TicketReport>),
    /// Wait this long, then ask again.
    Wait(Millis),
    /// Nothing is waiting: the sender stops.
    Stop,
}

impl Reports {
    /// Leaves `report` to be sent, in place of an older one of the same ticket. Returns whether
    /// a sender must be started (none is at work).
    pub fn push(&mut self, number: u32, report: TicketReport) -> bool {
        self.pending.insert(number, report);
        !std::mem::replace(&mut self.sending, true)
    }

    /// What the sender does at `now`. Taking reports to send counts as sending them at `now`.
    pub fn next(&mut self, now: Millis) -> Next {
        if self.pending.is_empty() {
            self.sending = false;
            return Next::Stop;
        }
        if let Some(last) = self.last_sent {
            let due = last + REPORT_GAP;
            if now < due {
                return Next::Wait(due - now);
            }
        }
        self.last_sent = Some(now);
        Next::Send(std::mem::take(&mut self.pending).into_values().collect())
    }
}

#[cfg(test)]
mod tests {
    use porchlight_shared::console::InboxTicket;
    use porchlight_shared::Status;

    use super::*;

    fn report(number: u32, seq: u64) -> TicketReport {
        TicketReport {
            seq,
            ticket: InboxTicket {
                conversation_id: "cv_1".into(),
                number,
                status: Status::Open,
                assignee: None,
                offered_to: None,
                skills: vec![],
                updated_at: 0,
                waiting_since: None,
                visitor_name: None,
                preview: Some(format!("message {seq}")),
                visitor_locale: None,
                visitor_page: None,
            },
        }
    }

    #[test]
    fn the_first_report_goes_at_once_and_starts_one_sender() {
        let mut r = Reports::default();
        assert!(r.push(1, report(1, 1)), "a sender starts");
        assert!(!r.push(1, report(1, 2)), "one sender only");
        assert_eq!(r.next(1_000), Next::Send(vec![report(1, 2)]));
        assert_eq!(r.next(1_000), Next::Stop);
        assert!(
            r.push(1, report(1, 3)),
            "a new sender after the last stopped"
        );
    }

    #[test]
    fn a_burst_sends_the_newest_state_a_few_times_a_second() {
        let mut r = Reports::default();
        r.push(1, report(1, 1));
        assert_eq!(r.next(1_000), Next::Send(vec![report(1, 1)]));
        let mut sent = 1;
        // 1 000 messages over one second, the sender asking after each.
        for i in 0..1_000u64 {
            let now = 1_000 + i as Millis;
            r.push(1, report(1, 2 + i));
            match r.next(now) {
                Next::Send(batch) => {
                    assert_eq!(batch, vec![report(1, 2 + i)], "the newest wins");
                    sent += 1;
                }
                Next::Wait(ms) => assert!(ms > 0 && ms <= REPORT_GAP),
                Next::Stop => panic!("stopped with reports waiting"),
            }
        }
        assert!(sent <= 5, "{sent} sends in a second");
        // What is left goes once the gap has passed.
        match r.next(2_000) {
            Next::Wait(ms) => assert!(ms <= REPORT_GAP),
            Next::Send(batch) => assert_eq!(batch, vec![report(1, 1_001)]),
            Next::Stop => panic!("the last report was lost"),
        }
    }

    #[test]
    fn tickets_changed_together_go_together() {
        let mut r = Reports::default();
        r.push(2, report(2, 5));
        r.push(1, report(1, 4));
        assert_eq!(r.next(0), Next::Send(vec![report(1, 4), report(2, 5)]));
        r.push(2, report(2, 6));
        assert_eq!(r.next(100), Next::Wait(150));
        assert_eq!(r.next(250), Next::Send(vec![report(2, 6)]));
    }
}
