//! The chat panel's components. They read the [`Chat`]'s signals and call its methods; every
//! text is rendered as a text node (Leptos never parses strings as HTML unless asked to).

use std::cell::Cell;
use std::rc::Rc;

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use porchlight_shared::protocol::{
    AttachmentRef, Author, Choice, PrechatField, Rating, WidgetConfig,
};
use porchlight_shared::Status;

use wasm_bindgen::JsCast;
use web_sys::{ScrollBehavior, ScrollToOptions};

use crate::chat::Chat;
use crate::clock;
use crate::i18n::Strings;
use crate::state::{initials, Connection, Delivery, Row};

/// Scrolling up to within this many pixels of the top of the log loads the next older page.
const NEAR_TOP_PX: i32 = 48;

/// The panel's parts share these: where the composer is, and whether the last ticket ended.
#[derive(Clone, Copy)]
struct Refs {
    /// The message log (scrolled by several parts).
    log: NodeRef<html::Div>,
    /// The composer's text box (focused by several parts).
    input: NodeRef<html::Textarea>,
    /// "Start a new conversation", shown once the last ticket is closed.
    new_conversation: NodeRef<html::Button>,
}

/// The last ticket is closed and the visitor has not moved on yet: "start a new conversation"
/// instead of the composer.
fn ended(chat: &Chat) -> impl Fn() -> bool + Copy + 'static {
    let (thread, moved_on, prechat) = (chat.thread, chat.moved_on, chat.prechat);
    move || {
        thread
            .with(|t| t.closed_ticket())
            .is_some_and(|t| t != moved_on.get())
            && !prechat.get()
    }
}

/// The whole panel: its parts, and what happens when it opens.
pub fn app(chat: Rc<Chat>) -> impl IntoView {
    let refs = Refs {
        log: NodeRef::new(),
        input: NodeRef::new(),
        new_conversation: NodeRef::new(),
    };
    focus_on_open(&chat, refs);
    let t = chat.strings;
    let connection = chat.connection;
    let conversation_id = chat.conversation_id;
    let escape_chat = Rc::clone(&chat);
    view! {
        // The frame's main landmark: everything the visitor reads and does is in it.
        <main
            class="panel"
            // Named after its heading: the host page may have a main landmark of its own.
            aria-labelledby="chat-title"
            data-connection=move || connection_name(connection.get())
            data-conversation=move || conversation_id.get().unwrap_or_default()
            on:keydown=move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    escape_chat.request_close();
                }
            }
        >
            {header(Rc::clone(&chat))}
            <Show when=move || connection.get() == Connection::Reconnecting>
                <div class="banner" role="status">
                    {t.reconnecting}
                </div>
            </Show>
            {message_log(Rc::clone(&chat), refs)}
            {notices(&chat)}
            {rating_card(Rc::clone(&chat))}
            {prechat_form(Rc::clone(&chat), t)}
            {ended_view(Rc::clone(&chat), refs)}
            {composer(chat, refs)}
        </main>
    }
}

/// Opening the panel puts the cursor where the visitor goes on (the composer, the pre-chat
/// form's first field, or "start a new conversation"), and shows the newest message: a frame
/// that loaded the history while the panel was hidden had no layout to scroll then.
fn focus_on_open(chat: &Chat, refs: Refs) {
    let (open, ready, prechat) = (chat.open, chat.ready, chat.prechat);
    let ended = ended(chat);
    Effect::new(move |_| {
        // (Once the config is known: the composer is hidden until then, or while the
        // pre-chat form is shown, whose first field gets the focus instead. Once the last
        // ticket is closed, "start a new conversation" takes the composer's place, and the
        // focus, also when that happens with the panel open.)
        if !(open.get() && ready.get()) {
            return;
        }
        if ended() {
            // Shown on the next frame.
            request_animation_frame(move || {
                if let Some(button) = refs.new_conversation.get_untracked() {
                    let _ = button.focus();
                }
            });
        } else if prechat.get() {
            if let Some(first) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(".prechat label:not([hidden]) input").ok())
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = first.focus();
            }
        } else if let Some(input) = refs.input.get() {
            let _ = input.focus();
        }
        request_animation_frame(move || {
            if let Some(log) = refs.log.get_untracked() {
                jump_to(&log, log.scroll_height());
            }
        });
    });
}

/// The title and the panel's buttons: expand, download the transcript, close.
fn header(chat: Rc<Chat>) -> impl IntoView {
    let t = chat.strings;
    let (expanded, full, conversation_id) = (chat.expanded, chat.full, chat.conversation_id);
    let expand_chat = Rc::clone(&chat);
    let transcript_chat = Rc::clone(&chat);
    view! {
        <header class="head">
            <h1 class="title" id="chat-title">{t.title}</h1>
            <button
                type="button"
                class="icon-button expand"
                aria-label=move || if expanded.get() { t.shrink } else { t.expand }
                title=move || if expanded.get() { t.shrink } else { t.expand }
                aria-pressed=move || expanded.get().to_string()
                hidden=move || full.get()
                on:click=move |_| expand_chat.toggle_expanded()
            >
                {expand_icon()}
            </button>
            <button
                type="button"
                class="icon-button transcript"
                aria-label=t.transcript
                title=t.transcript
                hidden=move || conversation_id.with(Option::is_none)
                on:click=move |_| transcript_chat.download_transcript()
            >
                {download_icon()}
            </button>
            <button
                type="button"
                class="icon-button"
                aria-label=t.close
                on:click=move |_| chat.request_close()
            >
                {close_icon()}
            </button>
        </header>
    }
}

/// The conversation: older pages on demand (scrolling up, or the button for keyboard and
/// screen-reader users), the intro card, and the rows, kept scrolled to the newest.
fn message_log(chat: Rc<Chat>, refs: Refs) -> impl IntoView {
    let t = chat.strings;
    let (thread, loading_older, agent_typing) =
        (chat.thread, chat.loading_older, chat.agent_typing);
    let (config, locale, read_by) = (chat.config, chat.locale, chat.read_by_agent);
    let log_ref = refs.log;
    // A quick reply the visitor picked. The rows' buttons set it (a row's view must be `Send`,
    // the controller is not); this effect answers with it.
    let picked = RwSignal::new(None::<(u64, Choice)>);
    let pick_chat = Rc::clone(&chat);
    Effect::new(move |_| {
        if let Some((seq, choice)) = picked.get() {
            pick_chat.answer(seq, &choice);
        }
    });
    // The rows fetch their attachments with the controller's token; their views must be `Send`.
    let files = StoredValue::new_local(Rc::clone(&chat));

    // Keep the newest message in view when one arrives (or the typing line shows), but not when
    // an older page is added at the top.
    Effect::new(move |previous: Option<Option<String>>| {
        let newest = thread.with(|t| t.rows().last().map(Row::key));
        agent_typing.track();
        if previous.as_ref() != Some(&newest) || agent_typing.get_untracked() {
            if let Some(log) = log_ref.get() {
                log.set_scroll_top(log.scroll_height());
            }
        }
        newest
    });
    // Older history loads as the visitor scrolls up. The distance from the bottom is kept across
    // the load, so the rows being read stay put while older ones appear above them.
    let from_bottom = Rc::new(Cell::new(None::<i32>));
    let restore = Rc::clone(&from_bottom);
    Effect::new(move |_| {
        if loading_older.get() {
            return;
        }
        let Some(distance) = restore.take() else {
            return;
        };
        // The next frame: the new rows are in the DOM and laid out by then, not yet painted.
        request_animation_frame(move || {
            if let Some(log) = log_ref.get_untracked() {
                jump_to(&log, log.scroll_height() - distance);
            }
        });
    });
    let last_top = Cell::new(0);
    let scroll_chat = Rc::clone(&chat);
    let scroll_from_bottom = Rc::clone(&from_bottom);
    // Upwards only: the smooth scroll to the newest message on open passes the top too.
    let on_log_scroll = move || {
        let Some(log) = log_ref.get_untracked() else {
            return;
        };
        let top = log.scroll_top();
        let upwards = top < last_top.replace(top);
        if upwards
            && top < NEAR_TOP_PX
            && !loading_older.get_untracked()
            && thread.with_untracked(|t| t.older_page().is_some())
        {
            scroll_from_bottom.set(Some(log.scroll_height() - top));
            scroll_chat.load_older();
        }
    };
    view! {
        // The live region scrolls and holds the list: the rows stay list items to
        // assistive technology (a list given another role has none). It takes the focus,
        // to be scrolled by keyboard when nothing in it can.
        <div
            class="log"
            role="log"
            aria-live="polite"
            aria-label=t.messages
            tabindex="0"
            node_ref=log_ref
            on:scroll=move |_| on_log_scroll()
        >
        <ol class="rows">
            // Hidden rather than wrapped in <Show>: its handler holds the (single-threaded)
            // controller, and <Show>'s children must be Send.
            <li class="older" hidden=move || thread.with(|t| t.older_page().is_none())>
                <button
                    type="button"
                    class="link-button"
                    disabled=move || loading_older.get()
                    on:click=move |_| {
                        if let Some(log) = log_ref.get_untracked() {
                            from_bottom.set(Some(log.scroll_height() - log.scroll_top()));
                        }
                        chat.load_older();
                    }
                >
                    {t.earlier}
                </button>
            </li>
            {intro_card(config, t)}
            <For
                each=move || thread.with(|th| th.rows())
                key=row_key
                children=move |row| row_view(row, t, locale, read_by, picked, files)
            />
        </ol>
        </div>
    }
}

/// What the panel says under the log: the agent typing; the away message while no agent is
/// online (messages are still accepted), until an agent answers; until when a Solved ticket
/// takes replies; a file that could not be sent.
fn notices(chat: &Chat) -> impl IntoView {
    let t = chat.strings;
    let (agent_typing, config, thread) = (chat.agent_typing, chat.config, chat.thread);
    let (ticket, locale, attach_failed) = (chat.ticket, chat.locale, chat.attach_failed);
    // A Solved ticket that stays open for replies for a while: until when.
    let open_until = move || {
        ticket.with(|t| {
            t.as_ref()
                .filter(|t| t.status == Status::Solved)
                .and_then(|t| t.close_at)
        })
    };
    view! {
        <div class="typing" aria-live="polite">
            <Show when=move || agent_typing.get()>{t.typing}</Show>
        </div>
        <div class="away">
            <Show when=move || {
                config.with(|c| c.as_ref().is_some_and(|c| !c.agents_online && !c.away_message.is_empty()))
                    && !thread.with(|t| t.agent_replied())
            }>
                <p class="away-message">
                    {move || config.with(|c| c.as_ref().map(|c| c.away_message.clone()))}
                </p>
            </Show>
            <Show when=move || open_until().is_some()>
                <p class="open-until">
                    {move || open_until().map(|at| format!("{} {}", t.open_until, clock::when(at, js_sys::Date::now(), locale)))}
                </p>
            </Show>
        </div>
        <p class="attach-failed" role="alert" hidden=move || !attach_failed.get()>
            {t.attach_failed}
        </p>
    }
}

/// Once a ticket is solved and someone answered in it: how satisfied the visitor is (CSAT, 1–5,
/// each with its words), how likely to recommend (NPS, 0–10) where the site asks, and a comment.
/// Once rated: thanks, and a button that shows the form again with the answer, to change it
/// until the ticket closes. Radio groups in fieldsets: arrow keys move within a scale, and a
/// screen reader says the question with each answer.
fn rating_card(chat: Rc<Chat>) -> impl IntoView {
    let t = chat.strings;
    let (ticket, config) = (chat.ticket, chat.config);
    let rateable = move || ticket.with(|t| t.as_ref().is_some_and(|t| t.rateable));
    let rated = move || ticket.with(|t| t.as_ref().and_then(|t| t.rating.clone()));
    let asks_nps = move || config.with(|c| c.as_ref().is_some_and(|c| c.nps));
    // The site's question in the visitor's language, else the widget's own.
    let question = move |site: fn(&WidgetConfig) -> &String, own: &'static str| {
        config
            .with(|c| c.as_ref().map(|c| site(c).clone()))
            .filter(|q| !q.is_empty())
            .unwrap_or_else(|| own.to_owned())
    };
    let csat_question = move || question(|c| &c.csat_question, t.csat_question);
    let editing = RwSignal::new(false);
    let csat = RwSignal::new(None::<u8>);
    let nps = RwSignal::new(None::<u8>);
    let comment_ref = NodeRef::<html::Textarea>::new();
    let scale = move |name: &'static str,
                      scores: std::ops::RangeInclusive<u8>,
                      chosen: RwSignal<Option<u8>>| {
        scores
            .map(|n| {
                let words =
                    (name == "csat").then(|| t.csat_labels[usize::from(n.saturating_sub(1))]);
                view! {
                    <label class="score">
                        <input
                            type="radio"
                            name=name
                            value=n.to_string()
                            required=name == "csat"
                            prop:checked=move || chosen.get() == Some(n)
                            on:change=move |_| chosen.set(Some(n))
                        />
                        <span class="number">{n}</span>
                        {words.map(|w| view! { <span class="words">{w}</span> })}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <section class="rating" aria-labelledby="rating-title" hidden=move || !rateable()>
            <h2 id="rating-title" class="rating-title">{csat_question}</h2>
            <div class="rated" hidden=move || rated().is_none() || editing.get()>
                <p role="status">{t.rated}</p>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| {
                        if let Some(r) = rated() {
                            csat.set(Some(r.csat));
                            nps.set(r.nps);
                            if let Some(c) = comment_ref.get_untracked() {
                                c.set_value(r.comment.as_deref().unwrap_or_default());
                            }
                        }
                        editing.set(true);
                    }
                >
                    {t.change_rating}
                </button>
            </div>
            <form
                class="rate"
                hidden=move || rated().is_some() && !editing.get()
                on:submit=move |e: SubmitEvent| {
                    e.prevent_default();
                    let Some(score) = csat.get_untracked() else {
                        return;
                    };
                    let comment = comment_ref.get_untracked().map(|c| c.value());
                    let rating = Rating {
                        csat: score,
                        nps: nps.get_untracked().filter(|_| asks_nps()),
                        comment,
                    };
                    if chat.rate(rating) {
                        editing.set(false);
                    }
                }
            >
                <fieldset class="scale csat">
                    <legend class="visually-hidden">{csat_question}</legend>
                    {scale("csat", 1..=5, csat)}
                </fieldset>
                <fieldset class="scale nps" hidden=move || !asks_nps() aria-describedby="nps-ends">
                    <legend>{move || question(|c| &c.nps_question, t.nps_question)}</legend>
                    {scale("nps", 0..=10, nps)}
                    <p id="nps-ends" class="ends">
                        <span>{format!("0 = {}", t.nps_ends[0])}</span>
                        <span>{format!("10 = {}", t.nps_ends[1])}</span>
                    </p>
                </fieldset>
                <label class="field">
                    <span>{t.rating_comment}</span>
                    <textarea node_ref=comment_ref name="comment" rows="2" maxlength="1000"></textarea>
                </label>
                <button type="submit" class="start">{t.rate}</button>
            </form>
        </section>
    }
}

/// Once the last ticket is closed: says so, and starts a new conversation on request.
fn ended_view(chat: Rc<Chat>, refs: Refs) -> impl IntoView {
    let t = chat.strings;
    let ended = ended(&chat);
    view! {
        <div class="ended" hidden=move || !ended()>
            <p>{t.ended}</p>
            <button
                node_ref=refs.new_conversation
                type="button"
                class="start new-conversation"
                on:click=move |_| {
                    chat.new_conversation();
                    // Once the composer is shown again.
                    request_animation_frame(move || {
                        if let Some(input) = refs.input.get_untracked() {
                            let _ = input.focus();
                        }
                    });
                }
            >
                {t.new_conversation}
            </button>
        </div>
    }
}

/// The composer: attach files, write (Enter sends, Shift+Enter is a new line), send.
fn composer(chat: Rc<Chat>, refs: Refs) -> impl IntoView {
    let t = chat.strings;
    let (ready, prechat, conversation_id) = (chat.ready, chat.prechat, chat.conversation_id);
    let ended = ended(&chat);
    let input_ref = refs.input;
    let file_ref = NodeRef::<html::Input>::new();
    let send = move |chat: &Rc<Chat>| {
        if let Some(input) = input_ref.get_untracked() {
            if chat.send(&input.value()) {
                input.set_value("");
            }
        }
    };
    let submit_chat = Rc::clone(&chat);
    let attach_chat = Rc::clone(&chat);
    view! {
        <form
            class="composer"
            hidden=move || !ready.get() || prechat.get() || ended()
            on:submit=move |e: SubmitEvent| {
                e.prevent_default();
                send(&submit_chat);
            }
        >
            <button
                type="button"
                class="icon-button attach"
                aria-label=t.attach
                title=t.attach
                hidden=move || conversation_id.with(Option::is_none)
                on:click=move |_| {
                    if let Some(input) = file_ref.get_untracked() {
                        input.click();
                    }
                }
            >
                {attach_icon()}
            </button>
            <input
                node_ref=file_ref
                type="file"
                class="file-input"
                hidden
                multiple
                accept="image/png,image/jpeg,image/gif,image/webp,application/pdf"
                on:change=move |_| {
                    let Some(input) = file_ref.get_untracked() else {
                        return;
                    };
                    let list = input.files();
                    let picked: Vec<web_sys::File> = (0..list.as_ref().map_or(0, |l| l.length()))
                        .filter_map(|i| list.as_ref().and_then(|l| l.get(i)))
                        .collect();
                    input.set_value("");
                    attach_chat.attach(picked);
                }
            />
            <textarea
                node_ref=input_ref
                class="input"
                rows="1"
                maxlength="4000"
                placeholder=t.placeholder
                aria-label=t.message
                on:keydown=move |e: KeyboardEvent| {
                    // Enter sends, Shift+Enter is a new line; an IME composition's Enter
                    // only confirms the composition.
                    if e.key() == "Enter" && !e.shift_key() && !e.is_composing() {
                        e.prevent_default();
                        send(&chat);
                        return;
                    }
                    chat.keystroke(js_sys::Date::now());
                }
            ></textarea>
            <button type="submit" class="send" aria-label=t.send>
                {send_icon()}
            </button>
        </form>
    }
}

/// Scrolls the log to `top` at once, not with its smooth scrolling: a correction of where the
/// visitor is, not a movement for them to follow.
fn jump_to(log: &web_sys::HtmlElement, top: i32) {
    let to = ScrollToOptions::new();
    to.set_top(f64::from(top));
    to.set_behavior(ScrollBehavior::Instant);
    log.scroll_to_with_scroll_to_options(&to);
}

/// The key `For` keeps a row's DOM node under: a row whose content can change (a pending
/// message being delivered) gets a new key when it does.
fn row_key(row: &Row) -> String {
    match row {
        Row::Message {
            delivery: Delivery::Sending,
            key,
            ..
        } => format!("{key}~sending"),
        Row::Message {
            delivery: Delivery::Failed,
            key,
            ..
        } => format!("{key}~failed"),
        // An answered offer's buttons are drawn again, disabled.
        Row::Message {
            answered: true,
            key,
            ..
        } => format!("{key}~answered"),
        other => other.key(),
    }
}

/// The pre-chat form: the site's fields, its privacy text and the consent checkbox. Hidden (not
/// removed) once submitted; nothing leaves the frame before it is.
fn prechat_form(chat: Rc<Chat>, t: &'static Strings) -> impl IntoView {
    let config = chat.config;
    let prechat = chat.prechat;
    let name_ref = NodeRef::<html::Input>::new();
    let email_ref = NodeRef::<html::Input>::new();
    let phone_ref = NodeRef::<html::Input>::new();
    // Which of email and phone the last submit found wrong: said beside the field.
    let bad = RwSignal::new((false, false));
    let asks = move |f: PrechatField| {
        config.with(|c| c.as_ref().is_some_and(|c| c.prechat_fields.contains(&f)))
    };
    let consent = move || config.with(|c| c.as_ref().is_some_and(|c| c.consent_required));
    let value = |r: NodeRef<html::Input>| r.get_untracked().map(|i| i.value()).unwrap_or_default();
    view! {
        <form
            class="prechat"
            hidden=move || !prechat.get()
            on:submit=move |e: SubmitEvent| {
                e.prevent_default();
                let found = chat.submit_prechat(&value(name_ref), &value(email_ref), &value(phone_ref));
                bad.set(found);
                let first = if found.0 { email_ref } else { phone_ref };
                if found != (false, false) {
                    if let Some(i) = first.get_untracked() {
                        let _ = i.focus();
                    }
                }
            }
        >
            <label class="field" hidden=move || !asks(PrechatField::Name)>
                <span>{t.name}</span>
                <input node_ref=name_ref type="text" name="name" autocomplete="name" maxlength="200" />
            </label>
            // Plain text with an email keyboard: the browser's own check would speak before ours.
            <label class="field" hidden=move || !asks(PrechatField::Email)>
                <span>{t.email}</span>
                <input
                    node_ref=email_ref
                    type="text"
                    inputmode="email"
                    name="email"
                    autocomplete="email"
                    maxlength="254"
                    aria-invalid=move || bad.get().0.to_string()
                    aria-describedby="email-error"
                />
            </label>
            <p id="email-error" class="field-error" hidden=move || !bad.get().0>{t.bad_email}</p>
            <label class="field" hidden=move || !asks(PrechatField::Phone)>
                <span>{t.phone}</span>
                <input
                    node_ref=phone_ref
                    type="tel"
                    name="phone"
                    autocomplete="tel"
                    maxlength="40"
                    aria-invalid=move || bad.get().1.to_string()
                    aria-describedby="phone-error"
                />
            </label>
            <p id="phone-error" class="field-error" hidden=move || !bad.get().1>{t.bad_phone}</p>
            <p class="privacy">
                {move || config.with(|c| c.as_ref().map(|c| c.privacy_text.clone()))}
            </p>
            <label class="consent" hidden=move || !consent()>
                <input type="checkbox" name="consent" required=consent />
                <span>{t.consent}</span>
            </label>
            <button type="submit" class="start">{t.start_chat}</button>
        </form>
    }
}

/// The card at the top of the thread, there before the first message and after it: the
/// site's greeting, who of the team is online (initials and names) and the expected wait.
fn intro_card(config: RwSignal<Option<WidgetConfig>>, t: &'static Strings) -> impl IntoView {
    let team = move || config.with(|c| c.as_ref().map(|c| c.team.clone()).unwrap_or_default());
    let text = move |f: fn(&WidgetConfig) -> &String| {
        config.with(|c| c.as_ref().map(|c| f(c).clone()).unwrap_or_default())
    };
    view! {
        <li class="intro">
            <div class="faces" aria-hidden="true">
                {move || {
                    team()
                        .iter()
                        .map(|name| view! { <span class="avatar" title=name.clone()>{initials(name)}</span> })
                        .collect::<Vec<_>>()
                }}
            </div>
            <p class="welcome">
                {move || Some(text(|c| &c.welcome)).filter(|w| !w.is_empty()).unwrap_or_else(|| t.welcome.to_owned())}
            </p>
            <p class="team-online" hidden=move || team().is_empty()>
                {move || format!("{} {}", t.online_now, team().join(", "))}
            </p>
            <p class="wait" hidden=move || text(|c| &c.expected_wait).is_empty()>
                {move || text(|c| &c.expected_wait)}
            </p>
        </li>
    }
}

fn row_view(
    row: Row,
    t: &'static Strings,
    locale: &'static str,
    read_by: RwSignal<u64>,
    picked: RwSignal<Option<(u64, Choice)>>,
    files: StoredValue<Rc<Chat>, LocalStorage>,
) -> impl IntoView {
    match row {
        Row::TicketStart { ticket } => view! {
            <li class="divider" data-ticket=ticket>
                <span>{format!("{} {ticket}", t.conversation)}</span>
            </li>
        }
        .into_any(),
        Row::Status { seq, to } => view! {
            <li class="status" data-seq=seq data-status=to.as_str()>
                {t.status(to)}
            </li>
        }
        .into_any(),
        Row::Message {
            mine,
            author,
            author_name,
            at,
            text,
            delivery,
            choices,
            answered,
            attachments,
            ..
        } => {
            let (seq, mark) = match delivery {
                Delivery::Sent(seq) => (Some(seq), None),
                Delivery::Sending => (None, Some(t.sending)),
                Delivery::Failed => (None, Some(t.not_sent)),
            };
            // The visitor's stored messages: delivered, then read once an agent's receipt
            // reaches their sequence number.
            let receipt = seq.filter(|_| mine).map(|seq| {
                let read = move || read_by.get() >= seq;
                view! {
                    <span
                        class="mark receipt"
                        data-receipt=move || if read() { "read" } else { "delivered" }
                    >
                        {move || receipt_icon(read())}
                        <span>{move || if read() { t.read } else { t.delivered }}</span>
                    </span>
                }
            });
            let label = (!mine).then(|| {
                let name = author_label(&author, author_name.as_deref(), t);
                // Agents with a recorded name get their initials beside it.
                let face = author_name
                    .as_deref()
                    .filter(|_| matches!(author, Author::Agent { .. }))
                    .map(
                        |n| view! { <span class="avatar" aria-hidden="true">{initials(n)}</span> },
                    );
                view! { <span class="author">{face}<span class="author-name">{name}</span></span> }
            });
            let time = at.map(|at| {
                view! {
                    <time class="time" datetime=clock::iso(at)>
                        {clock::when(at, js_sys::Date::now(), locale)}
                    </time>
                }
            });
            let offer = seq.filter(|_| !choices.is_empty()).map(|seq| {
                let buttons = choices
                    .into_iter()
                    .map(|choice| {
                        let label = choice.label.clone();
                        view! {
                            <button
                                type="button"
                                class="choice"
                                data-choice=choice.id.clone()
                                disabled=answered
                                on:click=move |_| picked.set(Some((seq, choice.clone())))
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect::<Vec<_>>();
                view! {
                    <div class="choices" role="group" aria-label=t.quick_replies>
                        {buttons}
                    </div>
                }
            });
            view! {
                <li
                    class=if mine { "msg mine" } else { "msg theirs" }
                    data-seq=seq
                    data-delivery=delivery_name(delivery)
                >
                    {label}
                    // A message of files only has no text: no empty bubble above them.
                    {(!text.is_empty()).then(|| view! { <p class="bubble">{text}</p> })}
                    {offer}
                    {attachments_view(attachments, seq.is_some(), t, files)}
                    {mark.map(|m| view! { <span class="mark">{m}</span> })}
                    {time}
                    {receipt}
                </li>
            }
            .into_any()
        }
    }
}

/// A message's files: images shown from their bytes (fetched with the token into a `blob:` URL),
/// other files as a button that downloads them. Before the message is stored, names only.
fn attachments_view(
    attachments: Vec<AttachmentRef>,
    stored: bool,
    t: &'static Strings,
    files: StoredValue<Rc<Chat>, LocalStorage>,
) -> Option<impl IntoView> {
    if attachments.is_empty() {
        return None;
    }
    let items = attachments
        .into_iter()
        .map(|a| {
            let name = a.name.clone().unwrap_or_else(|| t.file.to_owned());
            let image = a.content_type.starts_with("image/");
            if image && stored {
                let src = RwSignal::new(None::<String>);
                if let Some((token, path)) = files.with_value(|c| c.attachment_path(&a.id)) {
                    spawn_local(async move {
                        // Kept for the frame's lifetime: a preview may scroll back into view.
                        if let Ok(url) = crate::transport::blob_url(&token, &path).await {
                            // A row already gone just drops it.
                            let _ = src.try_set(Some(url));
                        }
                    });
                }
                view! { <img class="attachment-image" alt=name src=move || src.get() /> }.into_any()
            } else {
                let id = a.id.clone();
                let file_name = name.clone();
                view! {
                    <button
                        type="button"
                        class="attachment-file"
                        disabled=!stored
                        on:click=move |_| {
                            if let Some((token, path)) = files.with_value(|c| c.attachment_path(&id)) {
                                let file_name = file_name.clone();
                                spawn_local(async move {
                                    let _ = crate::transport::save(&token, &path, &file_name).await;
                                });
                            }
                        }
                    >
                        {name}
                    </button>
                }
                .into_any()
            }
        })
        .collect::<Vec<_>>();
    Some(view! { <div class="attachments">{items}</div> })
}

/// Who wrote a message, as the visitor reads it: an agent by their display name, never by
/// their internal id.
fn author_label(author: &Author, name: Option<&str>, t: &Strings) -> String {
    match author {
        Author::Visitor => t.you.to_owned(),
        Author::Agent { .. } => name.unwrap_or(t.agent).to_owned(),
        Author::Bot { .. } => t.assistant.to_owned(),
        Author::System => "Porchlight".to_owned(),
    }
}

fn delivery_name(d: Delivery) -> &'static str {
    match d {
        Delivery::Sending => "sending",
        Delivery::Sent(_) => "sent",
        Delivery::Failed => "failed",
    }
}

fn connection_name(c: Connection) -> &'static str {
    match c {
        Connection::Idle => "idle",
        Connection::Connecting => "connecting",
        Connection::Live => "live",
        Connection::Reconnecting => "reconnecting",
    }
}

fn close_icon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
                d="M6 6l12 12M18 6L6 18"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                fill="none"
            />
        </svg>
    }
}

/// One check for delivered, two for read.
fn receipt_icon(read: bool) -> impl IntoView {
    let d = if read {
        "M2 12l4 4 8-9M10 16l1 1 8-10"
    } else {
        "M5 12l4 4 10-10"
    };
    view! {
        <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
            <path d=d stroke="currentColor" stroke-width="2" fill="none" stroke-linecap="round" />
        </svg>
    }
}

/// Arrows to the corners: the panel grows (its label says "shrink" once it has).
fn expand_icon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
                d="M14 4h6v6M10 20H4v-6M20 4l-6 6M4 20l6-6"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                fill="none"
            />
        </svg>
    }
}

fn download_icon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
                d="M12 4v11M7 10l5 5 5-5M5 20h14"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                fill="none"
            />
        </svg>
    }
}

fn attach_icon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
                d="M20 11.5l-8 8a5 5 0 01-7-7l8.5-8.5a3.3 3.3 0 014.7 4.7L9.7 17.2a1.7 1.7 0 01-2.4-2.4L15 7"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                fill="none"
            />
        </svg>
    }
}

fn send_icon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path d="M3 20.5l18-8.5L3 3.5l2.5 7L15 12l-9.5 1.5z" fill="currentColor" />
        </svg>
    }
}
