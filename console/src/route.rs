//! Where the console is: the screens as a URL fragment (`#/inbox`, `#/c/<conversation>`,
//! `#/team`, `#/canned`, `#/records?<search>`, `#/records/<conversation>`, `#/reports?<period>`),
//! so that the back button, reloads and links work
//! while the edge serves one page at `/console`.

use porchlight_shared::validate;

/// The reports screen's fragment, without a period.
pub const REPORTS_HASH: &str = "#/reports";

/// A screen of the signed-in console.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Route {
    /// The inbox alone.
    #[default]
    Inbox,
    /// The inbox and one conversation.
    Conversation(String),
    /// Admins: the team.
    Team,
    /// Admins: canned responses.
    Canned,
    /// Admins: the site's texts for visitors, per language.
    SiteTexts,
    /// Operators and admins: the conversation records, with the search's query string (filters
    /// as `key=value` pairs, percent-encoded, without the `?`; read by [`crate::records`]).
    Records(String),
    /// Operators and admins: one conversation's record.
    Record(String),
    /// Operators and admins: the reports, with their period and traffic as a query string.
    Reports(String),
}

impl Route {
    /// Reads a fragment (`location.hash`, with or without its `#`). Anything unknown is the
    /// inbox, and so is a conversation id that could not be one.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        for (name, screen) in [
            ("records", Route::Records as fn(String) -> Route),
            ("reports", Route::Reports),
        ] {
            if let Some(rest) = path.strip_prefix(name) {
                match rest.strip_prefix('?') {
                    Some(query) => return screen(query.to_owned()),
                    None if rest.is_empty() => return screen(String::new()),
                    None => {}
                }
            }
        }
        let mut parts = path.split('/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("c"), Some(id), None) if validate::id("conversation", id).is_ok() => {
                Route::Conversation(id.to_owned())
            }
            (Some("records"), Some(id), None) if validate::id("conversation", id).is_ok() => {
                Route::Record(id.to_owned())
            }
            (Some("team"), None, None) => Route::Team,
            (Some("canned"), None, None) => Route::Canned,
            (Some("texts"), None, None) => Route::SiteTexts,
            _ => Route::Inbox,
        }
    }

    /// The fragment for this screen, with its `#`.
    pub fn hash(&self) -> String {
        match self {
            Route::Inbox => "#/inbox".to_owned(),
            Route::Conversation(id) => format!("#/c/{id}"),
            Route::Team => "#/team".to_owned(),
            Route::Canned => "#/canned".to_owned(),
            Route::SiteTexts => "#/texts".to_owned(),
            Route::Records(query) if query.is_empty() => crate::records::RECORDS_HASH.to_owned(),
            Route::Records(query) => format!("{}?{query}", crate::records::RECORDS_HASH),
            Route::Record(id) => format!("{}/{id}", crate::records::RECORDS_HASH),
            Route::Reports(query) if query.is_empty() => REPORTS_HASH.to_owned(),
            Route::Reports(query) => format!("{REPORTS_HASH}?{query}"),
        }
    }

    /// Whether only admins may see this screen.
    pub fn admin_only(&self) -> bool {
        matches!(self, Route::Team | Route::Canned | Route::SiteTexts)
    }

    /// Whether only operators and admins may see this screen.
    pub fn operator_only(&self) -> bool {
        matches!(
            self,
            Route::Records(_) | Route::Record(_) | Route::Reports(_)
        )
    }

    /// The open conversation, if any.
    pub fn conversation(&self) -> Option<&str> {
        match self {
            Route::Conversation(id) => Some(id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_round_trip() {
        for r in [
            Route::Inbox,
            Route::Conversation("cv_abc-1".into()),
            Route::Team,
            Route::Canned,
            Route::SiteTexts,
            Route::Records(String::new()),
            Route::Records("status=solved&q=caf%C3%A9".into()),
            Route::Record("cv_rec_maria".into()),
            Route::Reports(String::new()),
            Route::Reports("from=1&to=2&env=test".into()),
        ] {
            assert_eq!(Route::parse(&r.hash()), r);
        }
        assert_eq!(Route::Records(String::new()).hash(), "#/records");
        assert_eq!(Route::Record("cv_1".into()).hash(), "#/records/cv_1");
        assert_eq!(Route::Reports(String::new()).hash(), "#/reports");
        assert!(Route::Record("cv_1".into()).operator_only());
        assert!(Route::Reports(String::new()).operator_only());
        assert!(Route::Records(String::new()).operator_only() && !Route::Team.operator_only());
        assert_eq!(Route::parse("#/c/cv_1").conversation(), Some("cv_1"));
        assert!(Route::Team.admin_only() && Route::Canned.admin_only());
        assert!(!Route::Inbox.admin_only());
    }

    #[test]
    fn anything_else_is_the_inbox() {
        for h in [
            "",
            "#",
            "#/",
            "#/nope",
            "#/c/",
            "#/c/a/b",
            "#/c/bad id",
            "#/c/<script>",
            "#/team/x",
            "#/recordsx",
            "#/records/bad id",
            "#/records/cv_1/x",
            "#/reportsx",
            "#/reports/x",
        ] {
            assert_eq!(Route::parse(h), Route::Inbox, "{h:?}");
        }
        assert_eq!(Route::parse("/team"), Route::Team);
    }
}
