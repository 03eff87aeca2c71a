//! The conversation view: the ticket's state and the actions valid from it, the whole history
//! across tickets (messages, internal notes, status events, transfers), the typing indicator,
//! the composer (reply or note, `/shortcut` canned responses) and the visitor panel.

use leptos::ev::{FocusEvent, KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use porchlight_shared::console::Transfer;
use porchlight_shared::protocol::{AttachmentRef, Author, Rating, TicketView, VisitorPanel};
use porchlight_shared::routing::Presence;
use wasm_bindgen::JsCast;

use crate::actions::{self, status_button, status_buttons, status_label};
use crate::browser;
use crate::canned;
use crate::conversation::{Action, COMPOSER_INPUT_ID};
use crate::files;
use crate::names;
use crate::session::Session;
use crate::thread::{Delivery, Kind, Row};
use crate::views::presence_label;

/// The open conversation `id`.
pub fn conversation(session: Session, id: String, now: RwSignal<i64>) -> impl IntoView {
    let conv = session.conversation;
    let log_ref = NodeRef::<html::Div>::new();
    // Keep the newest item in view whenever the thread changes.
    Effect::new(move |_| {
        conv.thread.track();
        conv.typing.track();
        if let Some(log) = log_ref.get() {
            log.set_scroll_top(log.scroll_height());
        }
    });
    let rows = Memo::new(move |_| {
        let me = session.me_id();
        conv.thread.with(|t| t.rows(&me))
    });
    let data_id = id.clone();
    // The attachment shown full size, if any (one viewer for the whole conversation).
    let viewer = RwSignal::new(None::<Viewed>);
    view! {
        <div class="conversation-area">
            <section
                id="conversation"
                class="conversation"
                aria-labelledby="conversation-title"
                data-conversation=data_id
                data-link=move || conv.link.get().name()
            >
                {header(session, id, now)}
                // The live region scrolls and holds the list, so that the rows stay list
                // items to assistive technology. It takes the focus, to be scrolled by keyboard.
                <div
                    class="log"
                    role="log"
                    aria-live="polite"
                    aria-label="History"
                    tabindex="0"
                    node_ref=log_ref
                >
                <ol class="rows">
                    <li class="older" hidden=move || conv.thread.with(|t| t.older_page().is_none())>
                        <button
                            type="button"
                            class="link-button"
                            disabled=move || conv.loading_older.get()
                            on:click=move |_| conv.load_older()
                        >
                            "Earlier history"
                        </button>
                    </li>
                    <Show when=move || conv.loading.get()>
                        <li class="muted center" role="status">"Loading the history…"</li>
                    </Show>
                    <For
                        each=move || rows.get()
                        key=Row::key
                        children=move |row| row_view(session, row, viewer)
                    />
                </ol>
                </div>
                <div class="typing" aria-live="polite">
                    {move || conv.typing.get().map(|a| format!("{} is typing…", author_name(session, &a)))}
                </div>
                {composer(session)}
            </section>
            {visitor_panel(session)}
            {image_viewer(viewer)}
        </div>
    }
}

/// An image attachment opened full size.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Viewed {
    url: String,
    name: String,
}

/// The full-size view of an image attachment: a modal dialog (the browser keeps focus in it,
/// Escape closes it and focus returns to the thumbnail that opened it).
fn image_viewer(viewer: RwSignal<Option<Viewed>>) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        let open = viewer.with(Option::is_some);
        if let Some(d) = dialog.get() {
            if open && !d.open() {
                let _ = d.show_modal();
            } else if !open && d.open() {
                d.close();
            }
        }
    });
    let url = move || viewer.with(|v| v.as_ref().map(|v| v.url.clone()).unwrap_or_default());
    let name = move || viewer.with(|v| v.as_ref().map(|v| v.name.clone()).unwrap_or_default());
    view! {
        <dialog
            class="viewer"
            node_ref=dialog
            aria-label=name
            on:close=move |_| viewer.set(None)
        >
            <div class="viewer-bar">
                <span class="viewer-name">{name}</span>
                <a href=url target="_blank" rel="noopener noreferrer">
                    "Open in a new tab"
                </a>
                <button type="button" class="secondary" autofocus on:click=move |_| viewer.set(None)>
                    "Close"
                </button>
            </div>
            <Show when=move || viewer.with(Option::is_some)>
                <img class="viewer-image" src=url alt=name />
            </Show>
        </dialog>
    }
}

/// The files a message carries: images drawn inline (a click opens them full size), other files
/// as a link with their name, kind and size.
fn attachments_view(
    conversation_id: &str,
    attachments: Vec<AttachmentRef>,
    viewer: RwSignal<Option<Viewed>>,
) -> impl IntoView {
    let items = attachments
        .into_iter()
        .map(|a| {
            let url = files::url(conversation_id, &a);
            let name = files::name(&a);
            if files::is_image(&a) {
                let shown = Viewed {
                    url: url.clone(),
                    name: name.clone(),
                };
                view! {
                    <li class="attachment">
                        <button
                            type="button"
                            class="attachment-image"
                            on:click=move |_| viewer.set(Some(shown.clone()))
                        >
                            <img src=url alt=name />
                            <span class="visually-hidden">" (open full size)"</span>
                        </button>
                    </li>
                }
                .into_any()
            } else {
                let details = format!("{} · {}", files::kind(&a), files::size_text(a.size));
                let download = name.clone();
                view! {
                    <li class="attachment">
                        <a class="attachment-file" href=url download=download>
                            <span class="file-name">{name}</span>
                            <span class="file-details">{details}</span>
                        </a>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! { <ul class="attachments" aria-label="Attachments">{items}</ul> }
}

fn header(session: Session, id: String, now: RwSignal<i64>) -> impl IntoView {
    let conv = session.conversation;
    let available = Memo::new(move |_| {
        let me = session.me_id();
        conv.ticket
            .with(|t| actions::available(t.as_ref(), &me, now.get()))
    });
    let current = move || conv.ticket.with(|t| t.as_ref().map(|t| t.status));
    let may_finish = move || {
        let me = session.me_id();
        let role = session.role();
        conv.ticket.with(|t| {
            t.as_ref()
                .is_some_and(|t| available.with(|a| actions::may_finish(a, t, &me, role)))
        })
    };
    let transferring = RwSignal::new(false);
    // Named as in the inbox: the visitor's name, else "Visitor NNNN"; language and page below.
    let title_id = id.clone();
    let title = move || visitor_title(session, &title_id);
    let context_id = id.clone();
    let context = move || {
        conv.visitor
            .with(|v| {
                v.as_ref().map(|v| {
                    names::visitor_context(
                        v.profile.locale.as_deref(),
                        v.profile.page_url.as_deref(),
                    )
                })
            })
            .or_else(|| {
                session.inbox.with(|i| {
                    i.ticket(&context_id).map(|t| {
                        names::visitor_context(
                            t.visitor_locale.as_deref(),
                            t.visitor_page.as_deref(),
                        )
                    })
                })
            })
            .unwrap_or_default()
    };
    let ticket_line = move || match conv.ticket.get() {
        None => "No live ticket: the visitor's next message opens a new one.".to_owned(),
        Some(t) => ticket_summary(session, &t),
    };
    view! {
        <header class="conversation-head">
            <div class="title-row">
                <h2 id="conversation-title">{title}</h2>
                {move || {
                    conv.ticket
                        .get()
                        .map(|t| {
                            view! {
                                <span
                                    class=format!("badge status-{}", t.status.as_str())
                                    data-ticket-status=t.status.as_str()
                                >
                                    {status_label(t.status)}
                                </span>
                            }
                        })
                }}
            </div>
            <p class="muted conversation-context">{context}</p>
            <p class="muted ticket-line" data-live=move || conv.ticket.with(|t| t.is_some()).to_string()>
                {ticket_line}
            </p>
            <p class="ticket-rating" hidden=move || conv.ticket.with(|t| t.as_ref().is_none_or(|t| t.rating.is_none()))>
                {move || conv.ticket.with(|t| t.as_ref().and_then(|t| t.rating.as_ref()).map(rating_line))}
            </p>
            <div class="toolbar" role="toolbar" aria-label="Ticket actions">
                // While an action is on its way the buttons say they are unavailable rather
                // than being disabled: a disabled button would drop the focus to the page.
                <Show when=move || available.with(|a| a.accept)>
                    <button
                        type="button"
                        class="primary"
                        aria-disabled=move || conv.busy.get().to_string()
                        on:click=move |_| conv.act(Action::Accept)
                    >
                        "Accept"
                    </button>
                </Show>
                // The ticket's own status is a pressed button among those that change it: the
                // button an agent pressed stays, pressed, and keeps the focus.
                <For
                    each=move || available.with(|a| status_buttons(a, current()))
                    key=|s| *s
                    children=move |s| {
                        let pressed = move || current() == Some(s);
                        view! {
                            <button
                                type="button"
                                class="secondary"
                                data-set-status=s.as_str()
                                aria-pressed=move || pressed().to_string()
                                aria-disabled=move || (pressed() || conv.busy.get()).to_string()
                                on:click=move |_| {
                                    if !pressed() {
                                        conv.act(Action::SetStatus(s));
                                    }
                                }
                            >
                                {move || if pressed() { status_label(s) } else { status_button(s) }}
                            </button>
                        }
                    }
                />
                <Show when=move || available.with(|a| a.transfer)>
                    <button
                        type="button"
                        class="secondary"
                        aria-expanded=move || transferring.get().to_string()
                        aria-controls="transfer-form"
                        on:click=move |_| transferring.update(|t| *t = !*t)
                    >
                        "Transfer…"
                    </button>
                </Show>
                <Show when=may_finish>
                    {options_menu(session)}
                </Show>
            </div>
            <Show when=move || transferring.get() && available.with(|a| a.transfer)>
                {transfer_form(session, transferring)}
            </Show>
            {move || conv.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </header>
    }
}

/// The conversation's options: a menu button (Enter, Space or Down opens it on its first item;
/// Escape closes it, back on the button) whose "Finish conversation" asks first, in a modal
/// dialog whose safe choice, Cancel, has the focus.
fn options_menu(session: Session) -> impl IntoView {
    let conv = session.conversation;
    let open = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let wrap = NodeRef::<html::Div>::new();
    let button = NodeRef::<html::Button>::new();
    let item = NodeRef::<html::Button>::new();
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(i) = item.get() {
                let _ = i.focus();
            }
        }
    });
    Effect::new(move |_| {
        let asking = confirming.get();
        if let Some(d) = dialog.get() {
            if asking && !d.open() {
                let _ = d.show_modal();
            } else if !asking && d.open() {
                d.close();
            }
        }
    });
    let close_menu = move || {
        open.set(false);
        if let Some(b) = button.get() {
            let _ = b.focus();
        }
    };
    let on_button_key = move |e: KeyboardEvent| {
        if e.key() == "ArrowDown" {
            e.prevent_default();
            open.set(true);
        }
    };
    let on_menu_key = move |e: KeyboardEvent| match e.key().as_str() {
        "Escape" => {
            e.prevent_default();
            close_menu();
        }
        // One item: the arrows stay on it.
        "ArrowDown" | "ArrowUp" | "Home" | "End" => e.prevent_default(),
        _ => {}
    };
    // The menu closes when the focus leaves it (a click elsewhere, Tab).
    let on_focus_out = move |e: FocusEvent| {
        let to = e
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = wrap
            .get_untracked()
            .is_some_and(|w| to.is_some_and(|n| w.contains(Some(&n))));
        if !inside {
            open.set(false);
        }
    };
    view! {
        <div class="menu-wrap" node_ref=wrap on:focusout=on_focus_out>
            <button
                type="button"
                class="secondary"
                node_ref=button
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                aria-controls="conversation-options"
                on:click=move |_| open.update(|o| *o = !*o)
                on:keydown=on_button_key
            >
                "Options"
            </button>
            <div
                id="conversation-options"
                class="menu"
                role="menu"
                aria-label="Conversation options"
                hidden=move || !open.get()
                on:keydown=on_menu_key
            >
                <button
                    type="button"
                    role="menuitem"
                    class="menu-item"
                    node_ref=item
                    on:click=move |_| {
                        open.set(false);
                        confirming.set(true);
                    }
                >
                    "Finish conversation"
                </button>
            </div>
        </div>
        <dialog
            class="confirm"
            node_ref=dialog
            aria-labelledby="finish-title"
            aria-describedby="finish-text"
            on:close=move |_| {
                let asked = confirming.get_untracked();
                confirming.set(false);
                // Cancelled (Escape or Cancel): back on the menu button.
                if asked {
                    if let Some(b) = button.get_untracked() {
                        let _ = b.focus();
                    }
                }
            }
        >
            <h2 id="finish-title">"Finish this conversation?"</h2>
            <p id="finish-text">
                "The live ticket closes now and stays in the records. The visitor's next message opens a new ticket."
            </p>
            <div class="dialog-actions">
                <button
                    type="button"
                    class="secondary"
                    autofocus
                    on:click=move |_| {
                        if let Some(d) = dialog.get() {
                            d.close();
                        }
                    }
                >
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="danger"
                    aria-disabled=move || conv.busy.get().to_string()
                    on:click=move |_| {
                        confirming.set(false);
                        conv.act(Action::Finish);
                    }
                >
                    "Finish conversation"
                </button>
            </div>
        </dialog>
    }
}

/// The visitor's rating of the live ticket, as the agent reads it:
/// "Rated 4/5 (Satisfied) · NPS 9 · “Quick and kind”".
fn rating_line(r: &Rating) -> String {
    let words = crate::words::CSAT_LABELS
        .get(usize::from(r.csat.saturating_sub(1)))
        .copied()
        .unwrap_or_default();
    let mut line = format!("Rated {}/5 ({words})", r.csat);
    if let Some(n) = r.nps {
        line.push_str(&format!(" · NPS {n}"));
    }
    if let Some(c) = &r.comment {
        line.push_str(&format!(" · “{c}”"));
    }
    line
}

fn ticket_summary(session: Session, t: &TicketView) -> String {
    let owner = match &t.assignee {
        Some(a) if *a == session.me_id() => "assigned to you".to_owned(),
        Some(a) => format!("assigned to {}", session.inbox.with(|i| i.name_of(a))),
        None => "unassigned".to_owned(),
    };
    let closes = t
        .close_at
        .map(|at| format!(" · closes at {}", browser::when(at, browser::now())))
        .unwrap_or_default();
    format!(
        "Ticket {} · {} · {owner}{closes}",
        t.number,
        status_label(t.status)
    )
}

/// Whether the transfer goes to a person or to a department.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Agent,
    Department,
}

fn transfer_form(session: Session, open: RwSignal<bool>) -> impl IntoView {
    let conv = session.conversation;
    let target = RwSignal::new(Target::Agent);
    let agent = RwSignal::new(String::new());
    let skill = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let others = Memo::new(move |_| {
        let me = session.me_id();
        session.inbox.with(|i| {
            i.team()
                .iter()
                .filter(|m| m.agent.id != me)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let skills = Memo::new(move |_| session.inbox.with(|i| i.skills()));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let to = match target.get_untracked() {
            Target::Agent => {
                let id = agent.get_untracked();
                if id.is_empty() {
                    problem.set(Some("Choose a team member."));
                    return;
                }
                Transfer::Agent { agent_id: id }
            }
            Target::Department => {
                let s = skill.get_untracked().trim().to_lowercase();
                if s.is_empty() {
                    problem.set(Some("Enter a department (a skill, such as billing)."));
                    return;
                }
                Transfer::Department { skill: s }
            }
        };
        problem.set(None);
        conv.act(Action::Transfer(to));
        open.set(false);
    };
    let radio = move |t: Target, label: &'static str| {
        view! {
            <label>
                <input
                    type="radio"
                    name="transfer-target"
                    prop:checked=move || target.get() == t
                    on:change=move |_| target.set(t)
                />
                {label}
            </label>
        }
    };
    view! {
        <form id="transfer-form" class="transfer" on:submit=submit aria-label="Transfer the ticket">
            <fieldset>
                <legend>"Transfer to"</legend>
                {radio(Target::Agent, " A team member")}
                {radio(Target::Department, " A department")}
            </fieldset>
            <Show when=move || target.get() == Target::Agent>
                <label for="transfer-agent">"Team member"</label>
                <select
                    id="transfer-agent"
                    prop:value=move || agent.get()
                    on:change=move |ev| agent.set(event_target_value(&ev))
                >
                    <option value="">"Choose…"</option>
                    <For
                        each=move || others.get()
                        key=|m| (m.agent.id.clone(), m.presence, m.open)
                        children=move |m| {
                            let text = format!(
                                "{} — {}, {}/{} open",
                                m.agent.name,
                                presence_label(m.presence),
                                m.open,
                                m.agent.capacity,
                            );
                            let offline = m.presence == Presence::Offline;
                            view! {
                                <option value=m.agent.id.clone() data-offline=offline.to_string()>
                                    {text}
                                </option>
                            }
                        }
                    />
                </select>
            </Show>
            <Show when=move || target.get() == Target::Department>
                <label for="transfer-skill">"Department (skill)"</label>
                <input id="transfer-skill" list="transfer-skills" bind:value=skill autocomplete="off" />
                <datalist id="transfer-skills">
                    <For
                        each=move || skills.get()
                        key=|s| s.clone()
                        children=|s| view! { <option value=s></option> }
                    />
                </datalist>
            </Show>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            <div class="row">
                <button type="submit" class="primary" disabled=move || conv.busy.get()>
                    "Transfer"
                </button>
                <button type="button" class="secondary" on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

fn row_view(session: Session, row: Row, viewer: RwSignal<Option<Viewed>>) -> impl IntoView {
    match row {
        Row::TicketStart { ticket } => view! {
            <li class="divider" data-ticket=ticket>
                <span>{format!("Ticket {ticket}")}</span>
            </li>
        }
        .into_any(),
        Row::Status {
            seq,
            by,
            from,
            to,
            at,
        } => {
            // Names arrive with the team and the visitor panel: the text follows them.
            let text = move || {
                format!(
                    "{} changed the ticket {}to {}",
                    author_name(session, &by),
                    from.map(|f| format!("from {} ", status_label(f)))
                        .unwrap_or_default(),
                    status_label(to)
                )
            };
            view! {
                <li class="event" data-seq=seq data-status=to.as_str()>
                    {text}
                    {time_view(at)}
                </li>
            }
            .into_any()
        }
        Row::Transfer {
            seq,
            by,
            to_agent,
            to_skill,
            at,
            ..
        } => {
            let text = move || {
                let name = |id: &str| session.inbox.with(|i| i.name_of(id));
                let target = match (&to_agent, &to_skill) {
                    (Some(a), _) => name(a),
                    (None, Some(s)) => format!("the {s} department"),
                    (None, None) => "the queue".to_owned(),
                };
                let me = session.me_id();
                let by_name = match &by {
                    Author::Agent { id } if *id == me => None,
                    other => Some(author_name(session, other)),
                };
                let to_me = to_agent.as_deref() == Some(me.as_str());
                crate::thread::transfer_text(by_name.as_deref(), &target, to_me)
            };
            view! {
                <li class="event transfer" data-seq=seq data-kind="transfer">
                    {text}
                    {time_view(at)}
                </li>
            }
            .into_any()
        }
        Row::Message {
            key,
            kind,
            author,
            mine,
            text,
            attachments,
            at,
            delivery,
        } => {
            let side = match (&author, mine) {
                (_, true) => "mine",
                (Author::Visitor, _) => "from-visitor",
                _ => "team",
            };
            let class = match kind {
                Kind::Note => format!("msg note {side}"),
                Kind::Reply => format!("msg {side}"),
            };
            let label = move || match kind {
                Kind::Note => format!("Internal note · {}", author_name(session, &author)),
                Kind::Reply => author_name(session, &author),
            };
            let seq = match delivery {
                Delivery::Sent(seq) => Some(seq),
                _ => None,
            };
            let retry_id = key.strip_prefix('c').map(str::to_owned);
            let conv = session.conversation;
            let conversation_id = conv.id.get_untracked().unwrap_or_default();
            // A message that only carries files shows just the files: never an empty bubble.
            let bubble = (!text.is_empty()).then(|| view! { <p class="bubble">{text}</p> });
            let files = (!attachments.is_empty())
                .then(|| attachments_view(&conversation_id, attachments, viewer));
            view! {
                <li
                    class=class
                    data-seq=seq
                    data-kind=match kind {
                        Kind::Note => "note",
                        Kind::Reply => "reply",
                    }
                    data-delivery=match delivery {
                        Delivery::Sending => "sending",
                        Delivery::Sent(_) => "sent",
                        Delivery::Failed => "failed",
                    }
                >
                    <span class="author">
                        {label}
                        {at.map(time_view)}
                    </span>
                    {bubble}
                    {files}
                    {match delivery {
                        Delivery::Sending => Some(view! { <span class="mark">"Sending…"</span> }.into_any()),
                        Delivery::Failed => {
                            Some(
                                view! {
                                    <span class="mark error">
                                        "Not sent. "
                                        <button
                                            type="button"
                                            class="link-button"
                                            on:click=move |_| {
                                                if let Some(id) = &retry_id {
                                                    conv.retry(id);
                                                }
                                            }
                                        >
                                            "Retry"
                                        </button>
                                    </span>
                                }
                                    .into_any(),
                            )
                        }
                        Delivery::Sent(_) => None,
                    }}
                </li>
            }
            .into_any()
        }
    }
}

/// The open conversation's title: the visitor's name (from the visitor panel, or the inbox until
/// the panel arrives), else the friendly name derived from its id.
fn visitor_title(session: Session, conversation_id: &str) -> String {
    let name = session
        .conversation
        .visitor
        .with(|v| v.as_ref().and_then(|v| v.profile.name.clone()))
        .or_else(|| {
            session.inbox.with(|i| {
                i.ticket(conversation_id)
                    .and_then(|t| t.visitor_name.clone())
            })
        });
    names::visitor_title(name.as_deref(), conversation_id)
}

/// When something happened, in the viewer's language and time zone (with the date unless it
/// was today), after a separator.
fn time_view(at: i64) -> impl IntoView {
    view! {
        <span class="muted">" · "</span>
        <time class="muted" datetime=browser::iso(at)>{browser::when(at, browser::now())}</time>
    }
}

/// Who an author is, for people (reactive: names arrive with the team and the visitor panel).
fn author_name(session: Session, author: &Author) -> String {
    match author {
        Author::Visitor => {
            let id = session
                .conversation
                .id
                .with(|c| c.clone())
                .unwrap_or_default();
            visitor_title(session, &id)
        }
        Author::Agent { id } if *id == session.me_id() => "You".to_owned(),
        Author::Agent { id } => session.inbox.with(|i| i.name_of(id)),
        Author::Bot { id } => format!("Bot {id}"),
        Author::System => "Porchlight".to_owned(),
    }
}

fn composer(session: Session) -> impl IntoView {
    let conv = session.conversation;
    let kind = RwSignal::new(Kind::Reply);
    let draft = RwSignal::new(String::new());
    let input_ref = NodeRef::<html::Textarea>::new();
    let can_reply = Memo::new(move |_| {
        let me = session.me_id();
        conv.ticket
            .with(|t| actions::available(t.as_ref(), &me, browser::now()).reply)
    });
    // Without a live ticket only notes can be written; the agent's choice comes back with one.
    let mode_now = Memo::new(move |_| {
        if can_reply.get() {
            kind.get()
        } else {
            Kind::Note
        }
    });
    // Once the ticket is accepted, the reply box takes the focus as soon as replies are possible.
    Effect::new(move |_| {
        if conv.focus_reply.get() && can_reply.get() {
            if let Some(input) = input_ref.get() {
                let _ = input.focus();
                conv.focus_reply.set(false);
            }
        }
    });
    let suggestions = Memo::new(move |_| {
        let text = draft.get();
        session.canned.with(|list| {
            canned::suggestions(&text, list)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let send = move || {
        if conv.send(mode_now.get_untracked(), &draft.get_untracked()) {
            draft.set(String::new());
        }
    };
    let pick = move |r: porchlight_shared::console::CannedResponse| {
        draft.update(|d| *d = canned::insert(d, &r));
        if let Some(input) = input_ref.get_untracked() {
            let _ = input.focus();
        }
    };
    let on_key = move |e: KeyboardEvent| {
        if e.is_composing() {
            return;
        }
        let expand = || {
            session
                .canned
                .with_untracked(|l| canned::expand(&draft.get_untracked(), l))
        };
        match e.key().as_str() {
            // An exact `/shortcut` expands first; the next Enter sends.
            "Enter" | "Tab" if !e.shift_key() => {
                if let Some(text) = expand() {
                    e.prevent_default();
                    draft.set(text);
                } else if e.key() == "Enter" {
                    e.prevent_default();
                    send();
                }
            }
            "Enter" => {}
            _ => conv.typed(),
        }
    };
    let mode = move |k: Kind, label: &'static str| {
        view! {
            <button
                type="button"
                class="toggle"
                data-mode=match k {
                    Kind::Reply => "reply",
                    Kind::Note => "note",
                }
                aria-pressed=move || (mode_now.get() == k).to_string()
                disabled=move || k == Kind::Reply && !can_reply.get()
                on:click=move |_| kind.set(k)
            >
                {label}
            </button>
        }
    };
    view! {
        <form
            class="composer"
            data-mode=move || match mode_now.get() {
                Kind::Reply => "reply",
                Kind::Note => "note",
            }
            on:submit=move |e: SubmitEvent| {
                e.prevent_default();
                send();
            }
        >
            <div class="row" role="group" aria-label="Write">
                {mode(Kind::Reply, "Reply")}
                {mode(Kind::Note, "Internal note")}
                <span class="muted hint">
                    "Enter sends · Shift+Enter new line · /shortcut inserts a canned response"
                </span>
            </div>
            <Show when=move || suggestions.with(|s| !s.is_empty())>
                <ul class="suggestions" aria-label="Canned responses">
                    <For
                        each=move || suggestions.get()
                        key=|r| r.shortcut.clone()
                        children=move |r| {
                            let shortcut = format!("/{}", r.shortcut);
                            let preview = r.text.clone();
                            view! {
                                <li>
                                    <button type="button" class="suggestion" on:click=move |_| pick(r.clone())>
                                        <strong>{shortcut}</strong>
                                        " "
                                        <span class="muted">{preview}</span>
                                    </button>
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
            <div class="row">
                <textarea
                    node_ref=input_ref
                    id=COMPOSER_INPUT_ID
                    class="input"
                    rows="3"
                    maxlength="4000"
                    aria-label=move || match mode_now.get() {
                        Kind::Reply => "Reply to the visitor",
                        Kind::Note => "Internal note",
                    }
                    placeholder=move || match mode_now.get() {
                        Kind::Reply => "Write a reply…",
                        Kind::Note => "Write a note only the team sees…",
                    }
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=on_key
                    on:blur=move |_| conv.stop_typing()
                ></textarea>
                <button type="submit" class="primary">
                    {move || match mode_now.get() {
                        Kind::Reply => "Send",
                        Kind::Note => "Add note",
                    }}
                </button>
            </div>
        </form>
    }
}

fn visitor_panel(session: Session) -> impl IntoView {
    let conv = session.conversation;
    view! {
        <section class="visitor" aria-labelledby="visitor-title">
            <h2 id="visitor-title">"Visitor"</h2>
            {move || match conv.visitor.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(v) => visitor_details(v).into_any(),
            }}
        </section>
    }
}

fn visitor_details(v: VisitorPanel) -> impl IntoView {
    let p = v.profile;
    let field = |label: &'static str, value: Option<String>| {
        view! {
            <dt>{label}</dt>
            <dd>{value.unwrap_or_else(|| "—".to_owned())}</dd>
        }
    };
    let page = p.page_url.clone();
    // Only http(s) addresses become links: a `javascript:` URL reported by a page stays text.
    let page_view = match page {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            let href = url.clone();
            view! {
                <a href=href target="_blank" rel="noopener noreferrer nofollow">
                    {url}
                </a>
            }
            .into_any()
        }
        Some(text) => view! { <span>{text}</span> }.into_any(),
        None => view! { <span>"—"</span> }.into_any(),
    };
    let attributes = p.attributes.clone();
    let tickets = v.tickets;
    // What the visitor agreed to, when (the viewer's language and zone) and in which language.
    let consent = match &p.consent {
        Some(c) => view! {
            "Consent given "
            <time datetime=browser::iso(c.at)>{browser::full_date(c.at)}</time>
            {format!(" · privacy text v{} · {}", c.privacy_version, c.locale)}
        }
        .into_any(),
        None => view! { "—" }.into_any(),
    };
    view! {
        <dl class="facts">
            <dt>"Identity"</dt>
            <dd data-verified=p.verified.to_string()>{identity_text(&p)}</dd>
            {field("Name", p.name.clone())}
            {field("Email", p.email.clone())}
            {field("Language", p.locale.clone())}
            <dt>"Page"</dt>
            <dd class="url">{page_view}</dd>
            <dt>"Consent"</dt>
            <dd class="consent">{consent}</dd>
        </dl>
        <h3>"Attributes"</h3>
        {if attributes.is_empty() {
            view! { <p class="muted">"None."</p> }.into_any()
        } else {
            view! {
                <dl class="facts">
                    {attributes
                        .into_iter()
                        .map(|(k, v)| view! {
                            <dt>{k}</dt>
                            <dd>{v}</dd>
                        })
                        .collect_view()}
                </dl>
            }
                .into_any()
        }}
        <h3>"Tickets"</h3>
        <ul class="past-tickets">
            {tickets
                .into_iter()
                .map(|t| {
                    view! {
                        <li data-ticket=t.number>
                            {format!("Ticket {} · ", t.number)}
                            <span class=format!("badge status-{}", t.status.as_str())>
                                {status_label(t.status)}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// Whether the site vouched for who the visitor is (`Porchlight.identify` with the HMAC the edge
/// checked), in words for the visitor panel.
fn identity_text(p: &porchlight_shared::protocol::VisitorProfile) -> String {
    match (&p.verified_id, p.verified) {
        (Some(id), true) => format!("Verified · user {id}"),
        _ => "Not verified".to_owned(),
    }
}
