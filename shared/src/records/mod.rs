//! Conversation records: what the record index keeps per ticket, the report statistics, and the
//! CSV export, all as pure functions over a conversation's stored items.
//!
//! - [`ticket`]: one ticket's record (times, durations across reopenings and pauses, counts,
//!   agents) computed from the conversation's history.
//! - [`stats`]: medians and p90s, the CSAT average and distribution, the NPS bands and score.
//! - [`detail`]: one conversation's record: each ticket's figures, the visitor, the history.
//! - [`csv`]: RFC 4180 rows with formula-like cells neutralised, for the export.
//! - [`mask`]: emails and phones masked for an export that asks for it.
//! - [`query`]: a search's filters as URL pairs, and the keyset cursor of its pages.
//! - [`row`]: a row of the index as the API returns it, and its line in the CSV export.
//! - [`report`]: the reports page's figures for a period, from the rows.

pub mod csv;
pub mod detail;
pub mod mask;
pub mod query;
pub mod report;
pub mod row;
pub mod stats;
pub mod ticket;
