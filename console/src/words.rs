//! The texts of the record detail and reports screens, in one place so that they can be
//! translated later (the console speaks English only today). Sentences that hold a value are
//! functions.

// ---- the record detail ------------------------------------------------------------------------

/// A conversation, before its id (when its record could not be read).
pub const CONVERSATION: &str = "Conversation";
/// The detail page's title, before the visitor's name.
pub const CONVERSATION_WITH: &str = "Conversation with";
/// Back to the search.
pub const BACK_TO_RECORDS: &str = "Back to records";
/// The conversation in the inbox.
pub const OPEN_IN_INBOX: &str = "Open in the inbox";
/// The printable transcript.
pub const PRINTABLE_TRANSCRIPT: &str = "Printable transcript (PDF)";
/// Where the transcript opens.
pub const TRANSCRIPT_HINT: &str =
    "Opens in a new tab; print it and choose \u{201c}Save as PDF\u{201d}.";
/// The tickets' table.
pub const TICKETS_TITLE: &str = "Tickets";
/// Column: ticket number.
pub const TICKET: &str = "Ticket";
/// Column: status.
pub const STATUS: &str = "Status";
/// Column: created.
pub const CREATED_AT: &str = "Created";
/// Column: duration.
pub const DURATION: &str = "Duration";
/// Column: messages exchanged.
pub const INTERACTIONS: &str = "Interactions";
/// Column / measure: first response time.
pub const FIRST_RESPONSE: &str = "First response";
/// Column / measure: resolution time.
pub const RESOLUTION: &str = "Resolution";
/// Column: CSAT.
pub const CSAT: &str = "CSAT";
/// The five CSAT answers' words, from 1 to 5 (the widget asks with the same).
pub const CSAT_LABELS: [&str; 5] = [
    "Very unsatisfied",
    "Unsatisfied",
    "Neutral",
    "Satisfied",
    "Very satisfied",
];
/// Column: NPS.
pub const NPS: &str = "NPS";
/// Column: agents.
pub const AGENTS: &str = "Agents";
/// What the record does not show of a rating yet.
pub const RATING_TEXTS_NOT_KEPT: &str =
    "The record shows ratings as scores; the visitor's comment and the question asked are not shown here yet.";
/// The visitor's section.
pub const VISITOR_TITLE: &str = "Visitor";
/// Field: name.
pub const NAME: &str = "Name";
/// Field: email.
pub const EMAIL: &str = "Email";
/// Field: phone.
pub const PHONE: &str = "Phone";
/// Field: the site's id.
pub const EXTERNAL_ID: &str = "Id on the site";
/// Field: language.
pub const LANGUAGE: &str = "Language";
/// Field: page.
pub const PAGE: &str = "Page";
/// Field: attributes.
pub const ATTRIBUTES: &str = "Attributes";
/// Beside a verified id.
pub const VERIFIED: &str = "(verified)";
/// Nothing known.
pub const NOT_KNOWN: &str = "Not known";
/// The files' section.
pub const FILES_TITLE: &str = "Files exchanged";
/// No files.
pub const NO_FILES: &str = "No files were exchanged.";
/// Files counted by the index whose messages are not available.
pub fn files_not_available(n: u32) -> String {
    if n == 1 {
        "1 file was exchanged; the message that carries it is not available.".to_owned()
    } else {
        format!("{n} files were exchanged; the messages that carry them are not available.")
    }
}

/// The history's section.
pub const HISTORY_TITLE: &str = "History";
/// No history.
pub const NO_HISTORY: &str =
    "The conversation's messages are not available; the figures come from the records index.";
/// Author tags.
pub const VISITOR: &str = "Visitor";
/// An agent's tag.
pub const AGENT_TAG: &str = "agent";
/// A bot's tag.
pub const BOT_TAG: &str = "bot";
/// Porchlight's own events.
pub const SYSTEM: &str = "Porchlight";
/// An internal note's tag.
pub const INTERNAL_NOTE: &str = "Internal note";
/// Loading.
pub const LOADING: &str = "Loading…";

/// A bot's name.
pub fn bot(id: &str) -> String {
    format!("Bot {id}")
}

/// A ticket's heading in the history.
pub fn ticket_heading(number: u32, status: &str) -> String {
    format!("Ticket {number} · {status}")
}

/// A status change in the history.
pub fn status_changed(from: Option<&str>, to: &str, by: &str) -> String {
    match from {
        None => format!("Ticket created ({to}) by {by}"),
        Some(from) => format!("Status {from} → {to}, by {by}"),
    }
}

/// A transfer in the history.
pub fn transferred(to: &str, by: &str) -> String {
    format!("Transferred to {to}, by {by}")
}

/// A transfer's destination: a department.
pub fn department(skill: &str) -> String {
    format!("the {skill} department")
}

/// A transfer's destination when routing chose.
pub const ROUTING: &str = "routing";

// ---- reports ----------------------------------------------------------------------------------

/// The reports page's title.
pub const REPORTS_TITLE: &str = "Reports";
/// Preset: today.
pub const TODAY: &str = "Today";
/// Preset: 7 days.
pub const LAST_7_DAYS: &str = "Last 7 days";
/// Preset: 30 days.
pub const LAST_30_DAYS: &str = "Last 30 days";
/// The period's legend.
pub const PERIOD: &str = "Period";
/// Its start.
pub const FROM: &str = "From";
/// Its end.
pub const TO: &str = "To";
/// Traffic.
pub const TRAFFIC: &str = "Traffic";
/// Production.
pub const PRODUCTION: &str = "Production";
/// Test.
pub const TEST: &str = "Test";
/// Show the report.
pub const SHOW: &str = "Show";
/// The period's end is not after its start.
pub const PERIOD_BACKWARDS: &str = "The period must start before it ends.";
/// A period's end or start is missing.
pub const PERIOD_MISSING: &str = "From and To: enter a date and time.";
/// The same tickets in the records list.
pub const SEE_IN_RECORDS: &str = "See these conversations in Records";
/// Headline: tickets.
pub const TICKETS_CREATED: &str = "Tickets created";
/// Headline: solved.
pub const TICKETS_SOLVED: &str = "Solved";
/// Headline: CSAT average.
pub const CSAT_AVERAGE: &str = "CSAT average";
/// Headline: NPS.
pub const NPS_SCORE: &str = "NPS";
/// Headline: the figures.
pub const SUMMARY: &str = "Summary";
/// Download a table.
pub const DOWNLOAD_CSV: &str = "Download CSV";
/// Chart: per day.
pub const PER_DAY: &str = "Tickets created and solved per day";
/// Chart: times.
pub const TIMES: &str = "First response and resolution time";
/// Chart: CSAT.
pub const CSAT_DISTRIBUTION: &str = "CSAT distribution";
/// Chart: NPS.
pub const NPS_BANDS: &str = "NPS bands";
/// Chart: channel.
pub const BY_CHANNEL: &str = "Volume by channel";
/// Chart: flow.
pub const BY_FLOW: &str = "Volume by flow";
/// Chart: agent.
pub const BY_AGENT: &str = "Volume by agent";
/// Chart: hours.
pub const BUSIEST_HOURS: &str = "Busiest hours";
/// Column: day.
pub const DAY: &str = "Day";
/// Column: created.
pub const CREATED: &str = "Created";
/// Column: solved.
pub const SOLVED: &str = "Solved";
/// Column: measure.
pub const MEASURE: &str = "Measure";
/// Column: median.
pub const MEDIAN: &str = "Median";
/// Column: p90.
pub const P90: &str = "p90";
/// Column: tickets.
pub const TICKETS: &str = "Tickets";
/// Column: score.
pub const SCORE: &str = "Score";
/// Column: answers.
pub const ANSWERS: &str = "Answers";
/// Column: band.
pub const BAND: &str = "Band";
/// Column: channel.
pub const CHANNEL: &str = "Channel";
/// Column: flow.
pub const FLOW: &str = "Flow";
/// Column: agent.
pub const AGENT: &str = "Agent";
/// Column: hour.
pub const HOUR: &str = "Hour";
/// NPS band.
pub const PROMOTERS: &str = "Promoters (9–10)";
/// NPS band.
pub const PASSIVES: &str = "Passives (7–8)";
/// NPS band.
pub const DETRACTORS: &str = "Detractors (0–6)";
/// Channel.
pub const CHANNEL_WIDGET: &str = "Chat widget";
/// Channel.
pub const CHANNEL_API: &str = "API";
/// No flow handled it.
pub const NO_FLOW: &str = "No flow";
/// Nobody was assigned.
pub const UNASSIGNED: &str = "Unassigned";

/// How many answered.
pub fn answers(n: &str) -> String {
    format!("{n} answers")
}

/// Where the report's days and hours are.
pub fn zone_hint(zone: &str) -> String {
    if zone.is_empty() {
        "Days and hours are in your time zone.".to_owned()
    } else {
        format!("Days and hours are in your time zone ({zone}).")
    }
}
