use super::*;

const NOW: Millis = 1_700_000_000_000;
const HOUR: u32 = 3_600;

/// The live ticket a test starts from. `SolvedExpired` is Solved with its window already over
/// (the alarm has not run yet).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Start {
    NoTicket,
    Live(Status),
    SolvedExpired,
}

fn starts() -> Vec<Start> {
    let mut v = vec![Start::NoTicket, Start::SolvedExpired];
    v.extend(
        Status::ALL
            .into_iter()
            .filter(|s| *s != Status::Closed)
            .map(Start::Live),
    );
    v
}

fn styles() -> Vec<ConversationStyle> {
    vec![
        ConversationStyle::LiveChat {
            close_delay_secs: 0,
        },
        ConversationStyle::LiveChat {
            close_delay_secs: 120,
        },
        ConversationStyle::ReturningCustomer {
            reopen_window_secs: 24 * HOUR,
        },
        ConversationStyle::Messaging {
            auto_close_secs: 4 * 24 * HOUR,
        },
    ]
}

fn events() -> Vec<Event> {
    let mut v = vec![
        Event::VisitorMessage,
        Event::Accept { agent: "a2".into() },
        Event::Finish,
        Event::Timer,
    ];
    v.extend(Status::ALL.into_iter().map(|to| Event::SetStatus {
        agent: "a2".into(),
        to,
    }));
    v
}

fn ticket(start: Start) -> Option<LiveTicket> {
    match start {
        Start::NoTicket => None,
        Start::SolvedExpired => Some(LiveTicket {
            status: Status::Solved,
            assignee: Some("a1".into()),
            close_at: Some(NOW - 1),
        }),
        Start::Live(status) => Some(LiveTicket {
            status,
            assignee: (status != Status::New).then(|| "a1".into()),
            close_at: (status == Status::Solved).then_some(NOW + 1_000),
        }),
    }
}

/// What SPEC.md's lifecycle table says, written out case by case and independently of
/// `decide`: the sequence of statuses recorded (`None` in a pair = a ticket is created) and the
/// live status afterwards, or `None` when the event must be refused.
type Expected = Option<(Vec<(Option<Status>, Status)>, Option<Status>)>;

fn spec(start: Start, event: &Event, style: &ConversationStyle) -> Expected {
    use Status::*;
    let reopens = !matches!(style, ConversationStyle::LiveChat { .. });
    let closes_at_once = style.secs() == 0;
    let created = (None, New);
    match (start, event) {
        (Start::NoTicket, Event::VisitorMessage) => Some((vec![created], Some(New))),
        (Start::NoTicket, Event::Timer) => Some((vec![], None)),
        (Start::NoTicket, _) => None,

        (Start::SolvedExpired, Event::VisitorMessage) => {
            Some((vec![(Some(Solved), Closed), created], Some(New)))
        }
        (Start::SolvedExpired, Event::Timer | Event::Finish) => {
            Some((vec![(Some(Solved), Closed)], None))
        }
        (Start::SolvedExpired, _) => None,

        (Start::Live(s), Event::VisitorMessage) => match s {
            New | Open => Some((vec![], Some(s))),
            Pending | OnHold => Some((vec![(Some(s), Open)], Some(Open))),
            Solved if reopens => Some((vec![(Some(Solved), Open)], Some(Open))),
            _ => Some((vec![(Some(s), Closed), created], Some(New))),
        },
        (Start::Live(New), Event::Accept { .. }) => Some((vec![(Some(New), Open)], Some(Open))),
        (Start::Live(_), Event::Accept { .. }) => None,
        (Start::Live(s), Event::Finish) => Some((vec![(Some(s), Closed)], None)),
        (Start::Live(s), Event::Timer) => Some((vec![], Some(s))),
        (Start::Live(s), Event::SetStatus { to, .. }) => match to {
            New | Closed => None,
            t if *t == s => None,
            Solved if closes_at_once => {
                Some((vec![(Some(s), Solved), (Some(Solved), Closed)], None))
            }
            t => Some((vec![(Some(s), *t)], Some(*t))),
        },
    }
}

#[test]
fn every_status_event_and_style_follows_the_spec_table() {
    let mut checked = 0;
    for style in styles() {
        for start in starts() {
            for event in events() {
                let live = ticket(start);
                let got = decide(live.as_ref(), &event, &style, NOW);
                let want = spec(start, &event, &style);
                let ctx = format!("{start:?} + {event:?} under {style:?}");
                match (got, want) {
                    (Err(_), None) => {}
                    (Ok(d), Some((steps, after))) => {
                        let got_steps: Vec<_> =
                            d.transitions.iter().map(|t| (t.from, t.to)).collect();
                        assert_eq!(got_steps, steps, "transitions for {ctx}");
                        assert_eq!(
                            d.live.as_ref().map(|t| t.status),
                            after,
                            "live status after {ctx}"
                        );
                        let created = d.transitions.iter().any(|t| t.ticket == Which::Created);
                        assert_eq!(
                            created,
                            steps.iter().any(|s| s.0.is_none()),
                            "creation for {ctx}"
                        );
                        if let Some(t) = &d.live {
                            assert_ne!(
                                t.status,
                                Status::Closed,
                                "a live ticket is never Closed: {ctx}"
                            );
                        }
                    }
                    (got, want) => panic!("{ctx}: got {got:?}, spec says {want:?}"),
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 7 * 10);
}

#[test]
fn refusals_name_the_reason() {
    let style = ConversationStyle::default();
    assert_eq!(
        decide(None, &Event::Finish, &style, NOW),
        Err(LifecycleError::NoLiveTicket)
    );
    let open = ticket(Start::Live(Status::Open));
    assert_eq!(
        decide(
            open.as_ref(),
            &Event::Accept { agent: "a2".into() },
            &style,
            NOW
        ),
        Err(LifecycleError::InvalidTransition {
            from: Status::Open,
            to: Status::Open
        })
    );
}

#[test]
fn solving_arms_the_alarm_for_the_styles_window() {
    let open = ticket(Start::Live(Status::Open));
    let solve = Event::SetStatus {
        agent: "a1".into(),
        to: Status::Solved,
    };
    let cases = [
        (
            ConversationStyle::LiveChat {
                close_delay_secs: 0,
            },
            None,
        ),
        (
            ConversationStyle::LiveChat {
                close_delay_secs: 90,
            },
            Some(NOW + 90_000),
        ),
        (
            ConversationStyle::ReturningCustomer {
                reopen_window_secs: 2 * HOUR,
            },
            Some(NOW + 7_200_000),
        ),
        (ConversationStyle::default(), Some(NOW + 4 * 86_400_000)),
    ];
    for (style, alarm) in cases {
        let d = decide(open.as_ref(), &solve, &style, NOW).unwrap();
        assert_eq!(d.alarm_at, alarm, "{style:?}");
        assert_eq!(d.live.and_then(|t| t.close_at), alarm, "{style:?}");
    }
}

#[test]
fn an_early_timer_keeps_the_deadline_and_a_late_one_closes() {
    let style = ConversationStyle::Messaging {
        auto_close_secs: 10,
    };
    let open = ticket(Start::Live(Status::Open));
    let solve = Event::SetStatus {
        agent: "a1".into(),
        to: Status::Solved,
    };
    let solved = decide(open.as_ref(), &solve, &style, NOW).unwrap().live;
    let early = decide(solved.as_ref(), &Event::Timer, &style, NOW + 9_999).unwrap();
    assert!(early.transitions.is_empty());
    assert_eq!(early.alarm_at, Some(NOW + 10_000));
    let late = decide(solved.as_ref(), &Event::Timer, &style, NOW + 10_000).unwrap();
    assert_eq!(late.transitions.len(), 1);
    assert_eq!(late.transitions[0].to, Status::Closed);
    assert_eq!(late.live, None);
    assert_eq!(late.alarm_at, None);
}

#[test]
fn a_reopened_ticket_goes_back_to_its_agent_and_can_reopen_again() {
    let style = ConversationStyle::ReturningCustomer {
        reopen_window_secs: HOUR,
    };
    let mut live = ticket(Start::Live(Status::Open));
    for round in 0..3 {
        let now = NOW + round * 1_000;
        let solve = Event::SetStatus {
            agent: "a1".into(),
            to: Status::Solved,
        };
        live = decide(live.as_ref(), &solve, &style, now).unwrap().live;
        let d = decide(live.as_ref(), &Event::VisitorMessage, &style, now + 500).unwrap();
        let t = d.live.clone().unwrap();
        assert_eq!(
            (t.status, t.assignee.as_deref(), t.close_at),
            (Status::Open, Some("a1"), None)
        );
        live = d.live;
    }
}

#[test]
fn moving_an_unassigned_ticket_assigns_the_agent() {
    let new = ticket(Start::Live(Status::New));
    let d = decide(
        new.as_ref(),
        &Event::SetStatus {
            agent: "a9".into(),
            to: Status::Pending,
        },
        &ConversationStyle::default(),
        NOW,
    )
    .unwrap();
    assert_eq!(d.live.unwrap().assignee.as_deref(), Some("a9"));
}

#[test]
fn style_ranges_follow_the_spec() {
    use ConversationStyle::*;
    assert!(LiveChat {
        close_delay_secs: 0
    }
    .validate()
    .is_ok());
    assert!(LiveChat {
        close_delay_secs: 601
    }
    .validate()
    .is_err());
    assert!(ReturningCustomer {
        reopen_window_secs: 3_599
    }
    .validate()
    .is_err());
    assert!(ReturningCustomer {
        reopen_window_secs: 72 * HOUR
    }
    .validate()
    .is_ok());
    assert!(Messaging {
        auto_close_secs: 86_399
    }
    .validate()
    .is_err());
    assert!(Messaging {
        auto_close_secs: 28 * 86_400
    }
    .validate()
    .is_ok());
    assert!(Messaging {
        auto_close_secs: 28 * 86_400 + 1
    }
    .validate()
    .is_err());
    assert_eq!(ConversationStyle::default().secs(), 4 * 86_400);
    for s in styles() {
        assert_eq!(ConversationStyle::from_parts(s.name(), s.secs()), Some(s));
    }
    assert_eq!(ConversationStyle::from_parts("email", 1), None);
}

#[test]
fn status_names_round_trip() {
    for s in Status::ALL {
        assert_eq!(Status::parse(s.as_str()), Some(s));
    }
    assert_eq!(Status::parse("reopened"), None);
    assert!(Status::Open.takes_capacity());
    assert!(!Status::Pending.takes_capacity());
}
