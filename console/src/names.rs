//! How the console names a conversation: by the visitor's name when they gave one, else by a
//! friendly generated name ("Visitor 4821") that is the same for the conversation everywhere and
//! on every load, since it is derived from the conversation's id; beside it, the visitor's
//! language and page. The raw `cv_…` id is never the title. Plain functions, tested natively.

/// The title of a conversation: the visitor's name, or "Visitor NNNN".
pub fn visitor_title(name: Option<&str>, conversation_id: &str) -> String {
    match name.map(str::trim) {
        Some(n) if !n.is_empty() => n.to_owned(),
        _ => format!("Visitor {}", friendly_number(conversation_id)),
    }
}

/// A four-digit number (1000–9999) derived from the conversation id (FNV-1a): stable, and
/// different for most conversations a team has open at once.
pub fn friendly_number(conversation_id: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in conversation_id.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    1000 + hash % 9000
}

/// The visitor's language and page, in a few words ("pt-BR · shop.example/checkout"); empty
/// when neither is known.
pub fn visitor_context(locale: Option<&str>, page_url: Option<&str>) -> String {
    let parts: Vec<String> = [
        locale
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
        page_url.map(page_text).filter(|p| !p.is_empty()),
    ]
    .into_iter()
    .flatten()
    .collect();
    parts.join(" · ")
}

/// Longest page shown, in characters.
const MAX_PAGE_CHARS: usize = 60;

/// A page address as people read it: without the scheme, query or fragment, and shortened.
pub fn page_text(url: &str) -> String {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    match rest.char_indices().nth(MAX_PAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &rest[..cut]),
        None => rest.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_visitor_is_called_by_name() {
        assert_eq!(visitor_title(Some("Nora"), "cv_abc"), "Nora");
        assert_eq!(
            visitor_title(Some("  "), "cv_abc"),
            visitor_title(None, "cv_abc")
        );
    }

    #[test]
    fn others_get_a_stable_friendly_name_never_the_id() {
        let id = "cv_sfSHHj4H2wYY-QF-zUjC";
        let title = visitor_title(None, id);
        assert!(title.starts_with("Visitor "), "{title}");
        assert!(!title.contains("cv_"));
        assert_eq!(title, visitor_title(None, id), "stable");
        let n = friendly_number(id);
        assert!((1000..=9999).contains(&n));
        // Different conversations mostly get different numbers.
        let numbers: std::collections::HashSet<u32> = (0..100)
            .map(|i| friendly_number(&format!("cv_{i}")))
            .collect();
        assert!(numbers.len() > 95, "{}", numbers.len());
    }

    #[test]
    fn context_names_language_and_page() {
        assert_eq!(
            visitor_context(
                Some("pt-BR"),
                Some("https://shop.example/checkout?step=2#top")
            ),
            "pt-BR · shop.example/checkout"
        );
        assert_eq!(
            visitor_context(None, Some("http://shop.example/")),
            "shop.example"
        );
        assert_eq!(visitor_context(Some("en"), None), "en");
        assert_eq!(visitor_context(None, None), "");
        let long = format!("https://shop.example/{}", "a".repeat(100));
        assert_eq!(page_text(&long).chars().count(), MAX_PAGE_CHARS + 1);
    }
}
