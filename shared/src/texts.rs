//! A site's own texts for visitors (welcome, away message, expected wait, privacy text), one set
//! per language, with the site's default language standing in for the languages it has not
//! written: which language a visitor's tag reads, the rules an admin's texts must keep, and the
//! fallback, field by field.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::validate::Invalid;

/// The languages a site can write its texts in (the widget's languages), as BCP 47 tags.
pub const SITE_LOCALES: [&str; 4] = ["en", "pt-BR", "es", "zh-CN"];

/// Longest welcome, away message or expected wait, in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 500;
/// Longest privacy text, in characters.
pub const MAX_PRIVACY_TEXT_CHARS: usize = 2_000;

/// The site language a visitor's BCP 47 tag reads (`pt-BR`, `pt`, `pt-PT` → `pt-BR`; `zh-Hans-CN`
/// → `zh-CN`; `es-419` → `es`; `_` also accepted), by its primary subtag; `None` for a language
/// no site writes in.
pub fn site_locale(tag: &str) -> Option<&'static str> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    SITE_LOCALES.into_iter().find(|l| {
        l.split('-')
            .next()
            .is_some_and(|p| p.eq_ignore_ascii_case(&primary))
    })
}

/// The first language of `preferred` (a `locale` parameter, then an `Accept-Language` list) that
/// sites write in.
pub fn pick_locale<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    preferred.into_iter().find_map(site_locale)
}

/// The languages of an `Accept-Language` header, most preferred first (weights are read; a
/// malformed weight counts as 1).
pub fn accept_language(header: &str) -> Vec<&str> {
    let mut langs: Vec<(&str, f32)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && tag != "*" && q > 0.0).then_some((tag, q))
        })
        .collect();
    // Stable: equal weights keep the header's order.
    langs.sort_by(|a, b| b.1.total_cmp(&a.1));
    langs.into_iter().map(|(tag, _)| tag).collect()
}

/// One language's texts. An empty text means "not written in this language": the default
/// language's stands in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteTexts {
    /// Greeting at the top of the panel (plain text); empty everywhere: the widget's own.
    #[serde(default)]
    pub welcome: String,
    /// Shown while no agent is online.
    #[serde(default)]
    pub away_message: String,
    /// Expected wait, e.g. "We usually reply in a few minutes".
    #[serde(default)]
    pub expected_wait: String,
    /// Privacy notice shown with the consent checkbox.
    #[serde(default)]
    pub privacy_text: String,
    /// The rating's CSAT question; empty everywhere: the widget's own.
    #[serde(default)]
    pub csat_question: String,
    /// The rating's NPS question (where the site asks NPS); empty everywhere: the widget's own.
    #[serde(default)]
    pub nps_question: String,
}

impl SiteTexts {
    /// These texts, with each one left empty taken from `fallback`.
    pub fn or(self, fallback: &SiteTexts) -> SiteTexts {
        let pick = |own: String, other: &String| if own.is_empty() { other.clone() } else { own };
        SiteTexts {
            welcome: pick(self.welcome, &fallback.welcome),
            away_message: pick(self.away_message, &fallback.away_message),
            expected_wait: pick(self.expected_wait, &fallback.expected_wait),
            privacy_text: pick(self.privacy_text, &fallback.privacy_text),
            csat_question: pick(self.csat_question, &fallback.csat_question),
            nps_question: pick(self.nps_question, &fallback.nps_question),
        }
    }

    /// The same texts with surrounding whitespace trimmed: what is stored.
    pub fn trimmed(&self) -> SiteTexts {
        SiteTexts {
            welcome: self.welcome.trim().to_owned(),
            away_message: self.away_message.trim().to_owned(),
            expected_wait: self.expected_wait.trim().to_owned(),
            privacy_text: self.privacy_text.trim().to_owned(),
            csat_question: self.csat_question.trim().to_owned(),
            nps_question: self.nps_question.trim().to_owned(),
        }
    }

    /// Checks an admin's texts: each within its length, no control characters but line breaks
    /// and tabs. The error names the field.
    pub fn check(&self) -> Result<(), Invalid> {
        for (field, text, max) in [
            ("welcome", &self.welcome, MAX_SHORT_TEXT_CHARS),
            ("away_message", &self.away_message, MAX_SHORT_TEXT_CHARS),
            ("expected_wait", &self.expected_wait, MAX_SHORT_TEXT_CHARS),
            ("privacy_text", &self.privacy_text, MAX_PRIVACY_TEXT_CHARS),
            ("csat_question", &self.csat_question, MAX_SHORT_TEXT_CHARS),
            ("nps_question", &self.nps_question, MAX_SHORT_TEXT_CHARS),
        ] {
            if text.chars().count() > max {
                return Err(Invalid {
                    code: ErrorCode::TooLarge,
                    message: format!("{field} is limited to {max} characters"),
                });
            }
            if text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            {
                return Err(Invalid {
                    code: ErrorCode::InvalidField,
                    message: format!("{field} contains control characters"),
                });
            }
        }
        Ok(())
    }
}

/// The texts a visitor reads: their language's, each one not written there taken from the
/// default language's, and from the site's own columns before any language was written.
pub fn for_locale(
    written: &[LocaleTexts],
    locale: Option<&str>,
    default_locale: &str,
    legacy: SiteTexts,
) -> SiteTexts {
    let default = written_in(written, default_locale).or(&legacy);
    match locale {
        Some(l) if l != default_locale => written_in(written, l).or(&default),
        _ => default,
    }
}

/// The texts written in `locale` (all empty if none is).
pub fn written_in(written: &[LocaleTexts], locale: &str) -> SiteTexts {
    written
        .iter()
        .find(|t| t.locale == locale)
        .map(|t| t.texts.clone())
        .unwrap_or_default()
}

/// Checks that `locale` is one of [`SITE_LOCALES`], exactly as written there.
pub fn check_locale(locale: &str) -> Result<&'static str, Invalid> {
    SITE_LOCALES
        .into_iter()
        .find(|l| *l == locale)
        .ok_or_else(|| Invalid {
            code: ErrorCode::InvalidField,
            message: format!("locale must be one of {}", SITE_LOCALES.join(", ")),
        })
}

/// One language's texts as the console edits them (`GET /v1/console/site-texts`,
/// `PUT /v1/console/site-texts/{locale}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocaleTexts {
    /// One of [`SITE_LOCALES`].
    pub locale: String,
    /// Its texts (empty ones fall back to the default language's).
    #[serde(flatten)]
    pub texts: SiteTexts,
}

/// `GET /v1/console/site-texts`: the site's texts in every language it can write in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteTextsList {
    /// The language that stands in for the others.
    pub default_locale: String,
    /// One entry per language of [`SITE_LOCALES`], in that order (empty texts where none is
    /// written).
    pub locales: Vec<LocaleTexts>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(welcome: &str, away: &str) -> SiteTexts {
        SiteTexts {
            welcome: welcome.into(),
            away_message: away.into(),
            ..SiteTexts::default()
        }
    }

    #[test]
    fn tags_read_as_the_site_languages() {
        for (tag, want) in [
            ("pt-BR", Some("pt-BR")),
            ("pt", Some("pt-BR")),
            ("PT_pt", Some("pt-BR")),
            ("es-419", Some("es")),
            ("zh-Hans-CN", Some("zh-CN")),
            ("en-GB", Some("en")),
            ("fr-FR", None),
            ("", None),
        ] {
            assert_eq!(site_locale(tag), want, "{tag}");
        }
        assert_eq!(pick_locale(["fr", "de", "es-MX", "en"]), Some("es"));
        assert_eq!(pick_locale(["fr"]), None);
    }

    #[test]
    fn accept_language_is_read_by_weight() {
        assert_eq!(
            accept_language("fr;q=0.5, pt-BR,pt;q=0.9, en;q=0.8, *;q=0.1, de;q=0"),
            ["pt-BR", "pt", "en", "fr"]
        );
        assert!(accept_language("").is_empty());
    }

    #[test]
    fn an_unwritten_text_falls_back_field_by_field() {
        let default = texts("Hello!", "Nobody is here.");
        let pt = texts("Olá!", "");
        assert_eq!(pt.or(&default), texts("Olá!", "Nobody is here."));
        assert_eq!(SiteTexts::default().or(&default), default);
    }

    #[test]
    fn a_visitor_reads_their_language_then_the_default_then_the_site_columns() {
        let written = vec![
            LocaleTexts {
                locale: "en".into(),
                texts: texts("Hello!", ""),
            },
            LocaleTexts {
                locale: "pt-BR".into(),
                texts: texts("Olá!", "Ninguém online."),
            },
        ];
        let legacy = || texts("", "Nobody is online.");
        assert_eq!(
            for_locale(&written, Some("pt-BR"), "en", legacy()),
            texts("Olá!", "Ninguém online.")
        );
        assert_eq!(
            for_locale(&written, Some("es"), "en", legacy()),
            texts("Hello!", "Nobody is online.")
        );
        assert_eq!(
            for_locale(&written, None, "pt-BR", legacy()),
            texts("Olá!", "Ninguém online.")
        );
        assert_eq!(for_locale(&[], Some("zh-CN"), "en", legacy()), legacy());
    }

    #[test]
    fn admin_texts_are_checked() {
        assert!(texts("Olá!\nTudo bem?", "").check().is_ok());
        let long = texts(&"x".repeat(MAX_SHORT_TEXT_CHARS + 1), "");
        assert_eq!(long.check().map_err(|e| e.code), Err(ErrorCode::TooLarge));
        let control = texts("", "a\u{7}b");
        let err = control.check().unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidField);
        assert!(err.message.contains("away_message"));
        assert_eq!(check_locale("pt-BR"), Ok("pt-BR"));
        assert!(check_locale("pt").is_err());
        assert!(check_locale("fr").is_err());
    }
}
