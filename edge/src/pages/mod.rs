//! What browsers load from the edge besides the API: HTML pages generated with their policies,
//! and static files from the `ASSETS` binding.
//!
//! # Layout
//! - [`widget`]: the loader, the chat frame page, the widget's files, the demo page, and the
//!   headers every response gets.
//! - [`unread`]: the returning visitor's unread frame.
//! - [`console`]: the console's page.

pub mod console;
pub mod unread;
pub mod widget;

/// An inert JSON data block for a page: `<script type="application/json" id="ID">JSON</script>`.
/// Never run (so a policy's script-src does not apply); inside it only `</script` could end it
/// early, so every `<` in the JSON is written as its escape.
pub fn json_block(id: &str, json: &str) -> String {
    format!(
        "<script type=\"application/json\" id=\"{id}\">{}</script>",
        json.replace('<', "\\u003c")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_json_block_cannot_end_early() {
        assert_eq!(
            super::json_block("x", r#"{"a":"</script><b>"}"#),
            r#"<script type="application/json" id="x">{"a":"\u003c/script>\u003cb>"}</script>"#
        );
    }
}
