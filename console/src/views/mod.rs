//! The console's components. They read the controllers' signals and call their methods; the
//! rules live in the plain modules. Every text is rendered as a text node (Leptos never parses
//! strings as HTML unless asked to, and this crate never asks).
//!
//! - [`app`]: sign-in or the console shell (top bar, alerts, the screen of the route).
//! - [`inbox_view`]: offers, view and status tabs with counts, the ticket list.
//! - [`conversation_view`]: history, composer, ticket actions, transfer, visitor panel.
//! - [`admin_view`]: the team, canned responses and the site's texts per language (admins).
//! - [`records_view`]: the conversation records: search, results, export (operators, admins).
//! - [`detail_view`]: one conversation's record: figures, visitor, files, history.
//! - [`reports_view`]: the reports: a period's charts, each with its table and CSV.

pub mod admin_view;
pub mod conversation_view;
pub mod detail_view;
pub mod inbox_view;
pub mod records_view;
pub mod reports_view;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use porchlight_shared::routing::Presence;

use crate::api;
use crate::browser;
use crate::conversation::COMPOSER_INPUT_ID;
use crate::prefs::Prefs;
use crate::route::Route;
use crate::session::{Link, Phase, Session};

/// How often ages ("5 min") are recomputed.
const CLOCK_TICK_MS: u32 = 30_000;
/// The id of each screen's main landmark (focusable, for after signing in).
pub const MAIN_ID: &str = "main";
/// The id of the inbox panel (focusable: the focus lands there after signing in).
pub const INBOX_ID: &str = "inbox";

/// The whole console.
pub fn app(session: Session) -> impl IntoView {
    move || match session.phase.get() {
        Phase::Starting => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
        Phase::SignedOut => sign_in(session).into_any(),
        Phase::SignedIn => shell(session).into_any(),
    }
}

/// The sign-in form. The site comes from `?site=` when the link carries it.
fn sign_in(session: Session) -> impl IntoView {
    let site = RwSignal::new(browser::query_param("site").unwrap_or_default());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let alert = session.alert;

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = session
                .sign_in(
                    site.get_untracked(),
                    email.get_untracked(),
                    password.get_untracked(),
                )
                .await;
            match result {
                // The focus goes where the work is: the inbox (or the screen the link named),
                // once it is drawn, rather than back to the page with the form.
                Ok(()) => browser::after_render(|| {
                    if !browser::focus(INBOX_ID) {
                        browser::focus(MAIN_ID);
                    }
                }),
                Err(text) => {
                    // The form may be gone already (signed in): try_ never panics on a disposed
                    // signal.
                    error.try_set(Some(text));
                    busy.try_set(false);
                }
            }
        });
    };

    view! {
        <main class="signin">
            <form class="card" on:submit=submit aria-labelledby="signin-title" novalidate>
                <h1 id="signin-title">"Porchlight console"</h1>
                <p class="muted">"Sign in to answer your site's visitors."</p>
                {move || alert.get().map(|a| view! { <p class="notice" role="status">{a}</p> })}
                <label for="signin-site">"Site"</label>
                <input id="signin-site" name="site" autocomplete="organization" required bind:value=site />
                <label for="signin-email">"Email"</label>
                <input
                    id="signin-email"
                    name="email"
                    type="email"
                    autocomplete="username"
                    autofocus
                    required
                    bind:value=email
                />
                <label for="signin-password">"Password"</label>
                <input
                    id="signin-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    bind:value=password
                />
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}

/// What a screen that reads one answer from the edge shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded<T> {
    /// The answer is on its way.
    Loading,
    /// It failed: a sentence.
    Failed(String),
    /// The answer.
    Ready(Box<T>),
}

impl<T> Loaded<T> {
    /// What the screen shows after `answer` (`None`: the session ended, the sign-in shows).
    pub fn after(answer: Result<T, Option<String>>) -> Option<Loaded<T>> {
        match answer {
            Ok(v) => Some(Loaded::Ready(Box::new(v))),
            Err(Some(text)) => Some(Loaded::Failed(text)),
            Err(None) => None,
        }
    }
}

/// Which part of the console the route shows (a conversation change is not a screen change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Work,
    Team,
    Canned,
    SiteTexts,
    Records,
    Record,
    Reports,
}

/// The signed-in console: top bar, alerts, then the screen.
fn shell(session: Session) -> impl IntoView {
    let now = RwSignal::new(browser::now());
    // Ages tick while the console is open; the loop ends when the shell is gone.
    spawn_local(async move {
        loop {
            api::sleep(CLOCK_TICK_MS).await;
            if now.try_set(browser::now()).is_some() {
                break;
            }
        }
    });
    let screen = Memo::new(move |_| match session.route.get() {
        Route::Inbox | Route::Conversation(_) => Screen::Work,
        Route::Team => Screen::Team,
        Route::Canned => Screen::Canned,
        Route::SiteTexts => Screen::SiteTexts,
        Route::Records(_) => Screen::Records,
        Route::Record(_) => Screen::Record,
        Route::Reports(_) => Screen::Reports,
    });
    // Only a change of conversation redraws the detail screen (not every change of route).
    let record_id = Memo::new(move |_| match session.route.get() {
        Route::Record(id) => Some(id),
        _ => None,
    });
    let inbox_filters = inbox_view::Filters::new();
    view! {
        <div class="shell" data-link=move || session.link.get().name()>
            {top_bar(session)}
            {move || {
                session
                    .alert
                    .get()
                    .map(|a| {
                        view! {
                            <div class="alert" role="alert">
                                <span>{a}</span>
                                <button
                                    type="button"
                                    class="link-button"
                                    on:click=move |_| session.alert.set(None)
                                >
                                    "Dismiss"
                                </button>
                            </div>
                        }
                    })
            }}
            {move || {
                (session.link.get() == Link::Reconnecting)
                    .then(|| {
                        view! {
                            <div class="banner" role="status">
                                "Connection lost. Reconnecting…"
                            </div>
                        }
                    })
            }}
            {move || match screen.get() {
                Screen::Work => {
                    view! {
                        <main class="work" id=MAIN_ID tabindex="-1">
                            {inbox_view::inbox_panel(session, inbox_filters, now)}
                            {move || match session.conversation.id.get() {
                                Some(id) => conversation_view::conversation(session, id, now).into_any(),
                                None => {
                                    view! {
                                        <section class="placeholder" aria-label="Conversation">
                                            <p>"Choose a conversation from the inbox."</p>
                                        </section>
                                    }
                                        .into_any()
                                }
                            }}
                        </main>
                    }
                        .into_any()
                }
                Screen::Team if session.is_admin() => admin_view::team(session).into_any(),
                Screen::Canned if session.is_admin() => admin_view::canned(session).into_any(),
                Screen::SiteTexts if session.is_admin() => admin_view::site_texts().into_any(),
                Screen::Records if session.sees_records() => {
                    records_view::records(session).into_any()
                }
                Screen::Record if session.sees_records() => {
                    // A new screen for each conversation: its record is read once, as it opens.
                    match record_id.get() {
                        Some(id) => detail_view::record(session, id).into_any(),
                        None => ().into_any(),
                    }
                }
                Screen::Reports if session.sees_records() => {
                    reports_view::reports(session).into_any()
                }
                Screen::Team
                | Screen::Canned
                | Screen::SiteTexts
                | Screen::Records
                | Screen::Record
                | Screen::Reports => {
                    let (title, why) = match screen.get() {
                        Screen::Canned => ("Canned responses", "Only admins can see this page."),
                        Screen::SiteTexts => ("Site texts", "Only admins can see this page."),
                        Screen::Records | Screen::Record => ("Records", crate::records::NOT_ALLOWED),
                        Screen::Reports => (crate::words::REPORTS_TITLE, crate::records::NOT_ALLOWED),
                        _ => ("Team", "Only admins can see this page."),
                    };
                    view! {
                        <main class="admin" id=MAIN_ID tabindex="-1" aria-labelledby="forbidden-title">
                            <h1 id="forbidden-title">{title}</h1>
                            <p role="alert">{why}</p>
                        </main>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

fn top_bar(session: Session) -> impl IntoView {
    let me = session.me;
    let name = move || me.with(|m| m.as_ref().map(|m| m.agent.name.clone()).unwrap_or_default());
    let role = move || {
        me.with(|m| {
            m.as_ref()
                .map(|m| m.agent.role.as_str())
                .unwrap_or_default()
        })
    };
    let presence = move || session.inbox.with(|i| i.presence_of(&session.me_id()));
    let on_route = move |r: Route| {
        session.route.with(|cur| match (cur, &r) {
            (Route::Conversation(_), Route::Inbox) => true,
            (Route::Records(_) | Route::Record(_), Route::Records(_)) => true,
            (Route::Reports(_), Route::Reports(_)) => true,
            (a, b) => a == b,
        })
    };
    let nav_link = move |label: &'static str, route: Route| {
        let href = route.hash();
        let current = route.clone();
        view! {
            <a
                href=href
                class="nav-link"
                aria-current=move || on_route(current.clone()).then_some("page")
            >
                {label}
            </a>
        }
    };
    let presence_button = move |p: Presence, label: &'static str| {
        view! {
            <button
                type="button"
                class="toggle"
                data-presence=presence_name(p)
                aria-pressed=move || if presence() == p { "true" } else { "false" }
                on:click=move |_| session.set_presence(p)
            >
                {label}
            </button>
        }
    };
    let prefs = session.prefs;
    view! {
        <header class="top">
            // The first stop for the keyboard while a conversation is open: straight to its
            // reply box, past the top bar and the inbox. (The URL fragment is the console's
            // route: following the link would leave the conversation, so the click is kept.)
            {move || {
                session
                    .conversation
                    .id
                    .get()
                    .map(|_| {
                        view! {
                            <a
                                class="skip-link"
                                href="#conversation"
                                on:click=move |e| {
                                    e.prevent_default();
                                    if !browser::focus(COMPOSER_INPUT_ID) {
                                        browser::focus("conversation");
                                    }
                                }
                            >
                                "Skip to the conversation"
                            </a>
                        }
                    })
            }}
            <span class="brand">"Porchlight"</span>
            <nav class="nav" aria-label="Console">
                {nav_link("Inbox", Route::Inbox)}
                {move || {
                    session
                        .sees_records()
                        .then(|| {
                            view! {
                                {nav_link("Records", Route::Records(String::new()))}
                                {nav_link(crate::words::REPORTS_TITLE, Route::Reports(String::new()))}
                            }
                        })
                }}
                {move || {
                    session
                        .is_admin()
                        .then(|| {
                            view! {
                                {nav_link("Team", Route::Team)}
                                {nav_link("Canned responses", Route::Canned)}
                                {nav_link("Site texts", Route::SiteTexts)}
                            }
                        })
                }}
            </nav>
            <div class="presence" role="group" aria-label="Availability">
                <span
                    class="dot"
                    data-presence=move || presence_name(presence())
                    aria-hidden="true"
                ></span>
                <span class="presence-now">{move || presence_label(presence())}</span>
                {presence_button(Presence::Online, "Online")}
                {presence_button(Presence::Away, "Away")}
            </div>
            <div class="prefs" role="group" aria-label="Alerts for new offers and messages">
                <label>
                    <input
                        type="checkbox"
                        name="notifications"
                        prop:checked=move || prefs.get().notifications
                        on:change=move |ev| {
                            session
                                .set_prefs(Prefs {
                                    notifications: event_target_checked(&ev),
                                    ..prefs.get_untracked()
                                })
                        }
                    />
                    " Notifications"
                </label>
                <label>
                    <input
                        type="checkbox"
                        name="sound"
                        prop:checked=move || prefs.get().sound
                        on:change=move |ev| {
                            session
                                .set_prefs(Prefs {
                                    sound: event_target_checked(&ev),
                                    ..prefs.get_untracked()
                                })
                        }
                    />
                    " Sound"
                </label>
            </div>
            <span class="who" data-role=role>
                {name}
                <span class="muted">{move || format!(" · {}", role())}</span>
            </span>
            <button type="button" class="secondary" on:click=move |_| session.sign_out()>
                "Sign out"
            </button>
        </header>
    }
}

/// A presence as an attribute value.
pub fn presence_name(p: Presence) -> &'static str {
    match p {
        Presence::Online => "online",
        Presence::Away => "away",
        Presence::Offline => "offline",
    }
}

/// A presence as people read it.
pub fn presence_label(p: Presence) -> &'static str {
    match p {
        Presence::Online => "Online",
        Presence::Away => "Away",
        Presence::Offline => "Offline",
    }
}
