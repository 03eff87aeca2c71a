//! The inbox panel: tickets offered to me (with Accept), the view tabs (mine / unassigned /
//! all) and status tabs with their counts, and the list of live tickets.

use leptos::prelude::*;
use porchlight_shared::console::InboxTicket;
use porchlight_shared::Status;

use crate::actions::status_label;
use crate::inbox::View;
use crate::names;
use crate::route::Route;
use crate::session::Session;
use crate::timing::ago;

/// The inbox tabs' choices; kept by the shell so that opening a conversation keeps them.
#[derive(Clone, Copy)]
pub struct Filters {
    view: RwSignal<View>,
    status: RwSignal<Option<Status>>,
}

impl Filters {
    /// Mine, every status.
    pub fn new() -> Filters {
        Filters {
            view: RwSignal::new(View::Mine),
            status: RwSignal::new(None),
        }
    }
}

impl Default for Filters {
    fn default() -> Self {
        Filters::new()
    }
}

/// The inbox panel.
pub fn inbox_panel(session: Session, filters: Filters, now: RwSignal<i64>) -> impl IntoView {
    let inbox = session.inbox;
    let counts = Memo::new(move |_| {
        let me = session.me_id();
        inbox.with(|i| i.counts(filters.view.get(), &me))
    });
    let offers = Memo::new(move |_| {
        let me = session.me_id();
        inbox.with(|i| i.offers(&me))
    });
    let tickets = Memo::new(move |_| {
        let me = session.me_id();
        inbox.with(|i| i.list(filters.view.get(), filters.status.get(), &me))
    });

    let view_tab = move |v: View| {
        let count =
            move || counts.with(|c| c.views.iter().find(|(x, _)| *x == v).map_or(0, |(_, n)| *n));
        view! {
            <button
                type="button"
                class="tab"
                data-view=v.name()
                aria-pressed=move || if filters.view.get() == v { "true" } else { "false" }
                on:click=move |_| filters.view.set(v)
            >
                {v.label()}
                " "
                <span class="count">{count}</span>
            </button>
        }
    };
    let status_tab = move |s: Option<Status>| {
        let count = move || {
            counts.with(|c| match s {
                None => c.total,
                Some(s) => c
                    .statuses
                    .iter()
                    .find(|(x, _)| *x == s)
                    .map_or(0, |(_, n)| *n),
            })
        };
        view! {
            <button
                type="button"
                class="tab small"
                data-status=s.map_or("any", Status::as_str)
                aria-pressed=move || if filters.status.get() == s { "true" } else { "false" }
                on:click=move |_| filters.status.set(s)
            >
                {s.map_or("Any status", status_label)}
                " "
                <span class="count">{count}</span>
            </button>
        }
    };

    view! {
        <section class="inbox" id=super::INBOX_ID tabindex="-1" aria-labelledby="inbox-title">
            // The work screen's level-one heading (the conversation's and the visitor's are
            // level two).
            <h1 id="inbox-title" class="visually-hidden">
                "Inbox"
            </h1>
            // Always in the page, so that screen readers announce new offers as they come.
            <p class="visually-hidden" aria-live="polite">
                {move || match offers.with(Vec::len) {
                    0 => String::new(),
                    1 => "A conversation is offered to you.".to_owned(),
                    n => format!("{n} conversations are offered to you."),
                }}
            </p>
            <Show when=move || offers.with(|o| !o.is_empty())>
                <div class="offers" role="region" aria-label="Offered to you">
                    <For
                        each=move || offers.get()
                        key=|t| (t.conversation_id.clone(), t.number)
                        children=move |t| offer_card(session, t, now)
                    />
                </div>
            </Show>
            <div class="tabs" role="group" aria-label="Views">
                {View::ALL.into_iter().map(view_tab).collect_view()}
            </div>
            <div class="tabs" role="group" aria-label="Statuses">
                {status_tab(None)}
                {crate::inbox::LIVE_STATUSES.into_iter().map(|s| status_tab(Some(s))).collect_view()}
            </div>
            <Show
                when=move || inbox.with(|i| i.loaded())
                fallback=|| view! { <p class="muted pad" role="status">"Loading the inbox…"</p> }
            >
                <Show
                    when=move || tickets.with(|t| !t.is_empty())
                    fallback=|| view! { <p class="muted pad">"No tickets here."</p> }
                >
                    <ul class="tickets" aria-label="Tickets">
                        <For
                            each=move || tickets.get()
                            key=|t| {
                                (
                                    t.conversation_id.clone(),
                                    t.number,
                                    t.status,
                                    t.assignee.clone(),
                                    t.offered_to.clone(),
                                    t.updated_at,
                                )
                            }
                            children=move |t| ticket_row(session, t, now)
                        />
                    </ul>
                </Show>
            </Show>
        </section>
    }
}

fn offer_card(session: Session, t: InboxTicket, now: RwSignal<i64>) -> impl IntoView {
    let id = t.conversation_id.clone();
    let open_id = id.clone();
    let data_id = id.clone();
    let who = names::visitor_title(t.visitor_name.as_deref(), &id);
    let context = names::visitor_context(t.visitor_locale.as_deref(), t.visitor_page.as_deref());
    let context = if context.is_empty() {
        String::new()
    } else {
        format!(" · {context}")
    };
    let summary = format!(
        "{who}{context} · ticket {}{}",
        t.number,
        skills_text(&t.skills)
    );
    let preview = t.preview.clone().unwrap_or_default();
    let since = t.waiting_since.unwrap_or(t.updated_at);
    view! {
        <div class="offer" data-conversation=data_id>
            <p class="offer-title">
                <strong>"New conversation for you"</strong>
                <span class="muted">{move || format!(" · waiting {}", ago(since, now.get()))}</span>
            </p>
            <p class="muted">{summary}</p>
            <p class="offer-preview">{preview}</p>
            <div class="row">
                <button
                    type="button"
                    class="primary"
                    on:click=move |_| session.accept_offer(id.clone())
                >
                    "Accept"
                </button>
                <a class="button secondary" href=Route::Conversation(open_id).hash()>
                    "Look first"
                </a>
            </div>
        </div>
    }
}

fn ticket_row(session: Session, t: InboxTicket, now: RwSignal<i64>) -> impl IntoView {
    let id = t.conversation_id.clone();
    let current_id = id.clone();
    let current = move || {
        (session
            .conversation
            .id
            .with(|c| c.as_deref() == Some(current_id.as_str())))
        .then_some("page")
    };
    let who = move || {
        let names = |id: &str| session.inbox.with(|i| i.name_of(id));
        match (&t.assignee, &t.offered_to) {
            (Some(a), _) if *a == session.me_id() => "You".to_owned(),
            (Some(a), _) => names(a),
            (None, Some(o)) if *o == session.me_id() => "Offered to you".to_owned(),
            (None, Some(o)) => format!("Offered to {}", names(o)),
            (None, None) => "Unassigned".to_owned(),
        }
    };
    let updated = t.updated_at;
    let skills = skills_text(&t.skills);
    // The visitor's name when they gave one, else a friendly name derived from the id.
    let title = names::visitor_title(t.visitor_name.as_deref(), &id);
    let context = names::visitor_context(t.visitor_locale.as_deref(), t.visitor_page.as_deref());
    let preview = t.preview.clone().unwrap_or_default();
    view! {
        <li>
            <a
                class="ticket"
                href=Route::Conversation(id.clone()).hash()
                data-conversation=id.clone()
                data-status=t.status.as_str()
                aria-current=current
            >
                <span class="ticket-main">
                    <span class="ticket-title">{title}</span>
                    <span class=format!("badge status-{}", t.status.as_str())>
                        {status_label(t.status)}
                    </span>
                </span>
                {(!context.is_empty()).then(|| view! { <span class="ticket-context muted">{context}</span> })}
                <span class="ticket-meta muted">
                    {format!("Ticket {} · ", t.number)}
                    {who}
                    {skills}
                    " · "
                    {move || ago(updated, now.get())}
                </span>
                <span class="ticket-preview">{preview}</span>
            </a>
        </li>
    }
}

fn skills_text(skills: &[String]) -> String {
    if skills.is_empty() {
        String::new()
    } else {
        format!(" · needs {}", skills.join(", "))
    }
}
