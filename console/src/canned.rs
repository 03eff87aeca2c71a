//! Canned responses in the composer: typing `/shortcut` at the end of the text offers the
//! matching responses, and Enter or Tab on an exact shortcut (or a click on a suggestion)
//! replaces it with the response's text. Plain functions, tested natively.

use porchlight_shared::console::CannedResponse;

/// Longest shortcut, in characters.
pub const MAX_SHORTCUT: usize = 32;
/// Most suggestions shown at once.
pub const MAX_SUGGESTIONS: usize = 6;

/// Whether `c` may appear in a shortcut.
fn shortcut_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
}

/// Whether `s` is a valid shortcut: 1–32 of `a-z 0-9 _ -` (the admin form checks before
/// saving; the edge checks too).
pub fn valid_shortcut(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_SHORTCUT && s.chars().all(shortcut_char)
}

/// The `/word` being typed at the end of `text`: the `/` must start the text or follow
/// whitespace. Returns the byte offset of the `/` and the word after it (possibly empty).
pub fn typed_shortcut(text: &str) -> Option<(usize, &str)> {
    let slash = text.rfind('/')?;
    let word = &text[slash + 1..];
    let starts_token = text[..slash]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    let word_ok = word.len() <= MAX_SHORTCUT && word.chars().all(shortcut_char);
    (starts_token && word_ok).then_some((slash, word))
}

/// The responses whose shortcut starts with the word being typed, by shortcut.
pub fn suggestions<'a>(text: &str, list: &'a [CannedResponse]) -> Vec<&'a CannedResponse> {
    let Some((_, word)) = typed_shortcut(text) else {
        return Vec::new();
    };
    let mut found: Vec<&CannedResponse> = list
        .iter()
        .filter(|r| r.shortcut.starts_with(word))
        .collect();
    found.sort_by(|a, b| a.shortcut.cmp(&b.shortcut));
    found.truncate(MAX_SUGGESTIONS);
    found
}

/// `text` with the `/word` at its end replaced by `response`'s text.
pub fn insert(text: &str, response: &CannedResponse) -> String {
    match typed_shortcut(text) {
        Some((slash, _)) => format!("{}{}", &text[..slash], response.text),
        None => format!("{text}{}", response.text),
    }
}

/// If `text` ends in exactly a known `/shortcut`, the text with it expanded.
pub fn expand(text: &str, list: &[CannedResponse]) -> Option<String> {
    let (_, word) = typed_shortcut(text)?;
    let response = list.iter().find(|r| r.shortcut == word)?;
    Some(insert(text, response))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> Vec<CannedResponse> {
        [
            ("thanks", "Thank you for contacting us!"),
            ("hello", "Hi! How can I help you today?"),
            ("refund", "Refunds take 5-7 business days."),
            ("refund-pt", "Reembolsos levam de 5 a 7 dias úteis."),
        ]
        .into_iter()
        .map(|(s, t)| CannedResponse {
            shortcut: s.into(),
            text: t.into(),
        })
        .collect()
    }

    #[test]
    fn an_exact_shortcut_at_the_end_expands() {
        let l = list();
        assert_eq!(
            expand("/hello", &l).as_deref(),
            Some("Hi! How can I help you today?")
        );
        assert_eq!(
            expand("Sure. /refund", &l).as_deref(),
            Some("Sure. Refunds take 5-7 business days.")
        );
        assert_eq!(
            expand("line one\n/thanks", &l).as_deref(),
            Some("line one\nThank you for contacting us!")
        );
    }

    #[test]
    fn partial_unknown_or_embedded_shortcuts_do_not_expand() {
        let l = list();
        for text in [
            "/hel",
            "/nope",
            "hello",
            "and/or /hello there",
            "http://x/hello",
            "/hello ",
            "/Hello",
            "",
        ] {
            assert_eq!(expand(text, &l), None, "{text:?}");
        }
    }

    #[test]
    fn suggestions_follow_the_prefix() {
        let l = list();
        let names = |text: &str| -> Vec<String> {
            suggestions(text, &l)
                .iter()
                .map(|r| r.shortcut.clone())
                .collect()
        };
        assert_eq!(names("/ref"), ["refund", "refund-pt"]);
        assert_eq!(names("Ok /"), ["hello", "refund", "refund-pt", "thanks"]);
        assert_eq!(names("/refund-pt"), ["refund-pt"]);
        assert!(names("no slash").is_empty());
        assert!(names("a/ref").is_empty());
        assert!(names("/ref x").is_empty());
    }

    #[test]
    fn inserting_a_suggestion_replaces_the_typed_word() {
        let l = list();
        assert_eq!(
            insert("Hi /ref", &l[2]),
            "Hi Refunds take 5-7 business days."
        );
        assert_eq!(insert("Hi", &l[0]), "HiThank you for contacting us!");
        // Multi-byte text before the shortcut is kept intact.
        assert_eq!(
            insert("Olá /refund-p", &l[3]),
            "Olá Reembolsos levam de 5 a 7 dias úteis."
        );
    }

    #[test]
    fn shortcut_rules() {
        assert!(valid_shortcut("refund-pt_2"));
        assert!(valid_shortcut(&"a".repeat(32)));
        for bad in ["", "Refund", "a b", "/x", "ação", &"a".repeat(33)] {
            assert!(!valid_shortcut(bad), "{bad:?}");
        }
    }
}
