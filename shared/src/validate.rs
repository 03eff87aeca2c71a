//! Validation rules shared by the widget (to refuse early) and the edge (to refuse for real).

use crate::error::ErrorCode;
use crate::protocol::{
    Author, Body, Choice, Rating, ReplyTo, SendMessage, VisitorProfile,
    MAX_ATTACHMENTS_PER_MESSAGE, PRIVACY_VERSION_LEN,
};

/// Longest message text, in characters (Unicode scalar values).
pub const MAX_TEXT_CHARS: usize = 4_000;
/// Longest id (client id, site id, conversation id, agent id), in bytes.
pub const MAX_ID_LEN: usize = 64;
/// Most quick-reply choices one message may offer.
pub const MAX_CHOICES: usize = 10;
/// Longest quick-reply label, in characters.
pub const MAX_CHOICE_LABEL_CHARS: usize = 80;
/// Largest WebSocket frame the edge reads, in bytes.
pub const MAX_FRAME_BYTES: usize = 32 * 1024;
/// Largest page of history a client may ask for.
pub const MAX_PAGE: u32 = 100;
/// Page size when the client does not say.
pub const DEFAULT_PAGE: u32 = 50;
/// Most tickets routing may give one agent at once (an account's `capacity`, from 0).
pub const MAX_CAPACITY: u32 = 100;

/// A rule that a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The code to answer with.
    pub code: ErrorCode,
    /// What was wrong, for people.
    pub message: String,
}

impl Invalid {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Invalid {
            code,
            message: message.into(),
        }
    }
}

/// An IANA time zone name as a reader names theirs (`America/Sao_Paulo`, `UTC`,
/// `Etc/GMT+3`): 1–64 characters of `A-Z a-z 0-9 / _ + -`. Whether the zone exists is the
/// runtime's to say.
pub fn time_zone(value: &str) -> Result<(), Invalid> {
    let ok = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'+' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            ErrorCode::InvalidField,
            "tz must be an IANA time zone name such as America/Sao_Paulo",
        ))
    }
}

/// An account's capacity: 0 to [`MAX_CAPACITY`].
pub fn capacity(value: u32) -> Result<(), Invalid> {
    if value <= MAX_CAPACITY {
        Ok(())
    } else {
        Err(Invalid::new(
            ErrorCode::InvalidField,
            format!("capacity must be 0-{MAX_CAPACITY}"),
        ))
    }
}

/// A BCP 47 language tag (`pt-BR`, `zh-Hans-CN`): 2–35 characters of letters, digits and `-`,
/// starting with a letter.
pub fn locale(value: &str) -> Result<(), Invalid> {
    let ok = (2..=35).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            ErrorCode::InvalidField,
            "locale must be a BCP 47 language tag such as pt-BR",
        ))
    }
}

/// Ids are 1–64 characters of `A-Z a-z 0-9 _ -`: safe in paths, keys and logs.
pub fn id(field: &str, value: &str) -> Result<(), Invalid> {
    let ok = !value.is_empty()
        && value.len() <= MAX_ID_LEN
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            ErrorCode::InvalidField,
            format!("{field} must be 1-{MAX_ID_LEN} characters of A-Z, a-z, 0-9, '_' or '-'"),
        ))
    }
}

/// Message text: not blank (unless the message carries attachments), at most
/// [`MAX_TEXT_CHARS`] characters; at most [`MAX_ATTACHMENTS_PER_MESSAGE`] attachments with
/// plain ids.
pub fn body(body: &Body) -> Result<(), Invalid> {
    if body.attachments.len() > MAX_ATTACHMENTS_PER_MESSAGE {
        return Err(Invalid::new(
            ErrorCode::TooLarge,
            format!("a message carries at most {MAX_ATTACHMENTS_PER_MESSAGE} attachments"),
        ));
    }
    for a in &body.attachments {
        id("attachment id", &a.id)?;
    }
    choices(&body.choices)?;
    if let Some(r) = &body.reply_to {
        if !body.choices.is_empty() {
            return Err(Invalid::new(
                ErrorCode::InvalidField,
                "a message cannot both offer choices and answer one",
            ));
        }
        id("reply_to.choice_id", &r.choice_id)?;
    }
    if body.text.trim().is_empty() && body.attachments.is_empty() && body.reply_to.is_none() {
        return Err(Invalid::new(
            ErrorCode::InvalidField,
            "message text is empty",
        ));
    }
    if body.text.chars().count() > MAX_TEXT_CHARS {
        return Err(Invalid::new(
            ErrorCode::TooLarge,
            format!("message text is longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Most characters of a rating's comment.
pub const MAX_RATING_COMMENT_CHARS: usize = 1_000;

/// A visitor's rating: CSAT 1–5, NPS 0–10 if given, a comment of at most
/// [`MAX_RATING_COMMENT_CHARS`] characters. A blank comment is dropped.
pub fn rating(rating: &mut Rating) -> Result<(), Invalid> {
    if !crate::records::stats::CSAT_RANGE.contains(&rating.csat) {
        return Err(Invalid::new(ErrorCode::InvalidField, "csat must be 1 to 5"));
    }
    if rating.nps.is_some_and(|n| n > 10) {
        return Err(Invalid::new(ErrorCode::InvalidField, "nps must be 0 to 10"));
    }
    if let Some(c) = &rating.comment {
        if c.chars().count() > MAX_RATING_COMMENT_CHARS {
            return Err(Invalid::new(
                ErrorCode::TooLarge,
                format!("the comment is longer than {MAX_RATING_COMMENT_CHARS} characters"),
            ));
        }
    }
    rating.comment = rating
        .comment
        .take()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    Ok(())
}

/// Quick-reply choices: none, or 1–[`MAX_CHOICES`] with distinct plain ids and labels of
/// 1–[`MAX_CHOICE_LABEL_CHARS`] characters of text.
pub fn choices(choices: &[Choice]) -> Result<(), Invalid> {
    if choices.len() > MAX_CHOICES {
        return Err(Invalid::new(
            ErrorCode::InvalidField,
            format!("a message offers at most {MAX_CHOICES} choices"),
        ));
    }
    for (i, c) in choices.iter().enumerate() {
        id("choice id", &c.id)?;
        if choices[..i].iter().any(|earlier| earlier.id == c.id) {
            return Err(Invalid::new(
                ErrorCode::InvalidField,
                format!("choice id {} is used twice", c.id),
            ));
        }
        let ok = !c.label.trim().is_empty()
            && c.label.chars().count() <= MAX_CHOICE_LABEL_CHARS
            && !c.label.chars().any(char::is_control);
        if !ok {
            return Err(Invalid::new(
                ErrorCode::InvalidField,
                format!("choice labels must be 1-{MAX_CHOICE_LABEL_CHARS} characters of text"),
            ));
        }
    }
    Ok(())
}

/// A message to post: its client id and body.
pub fn send_message(msg: &SendMessage) -> Result<(), Invalid> {
    id("client_id", &msg.client_id)?;
    body(&msg.body)
}

/// A message to post by `author`: [`send_message`], and only agents and bots offer choices,
/// only the visitor answers them.
pub fn message_from(author: &Author, msg: &SendMessage) -> Result<(), Invalid> {
    send_message(msg)?;
    let visitor = *author == Author::Visitor;
    if visitor && !msg.body.choices.is_empty() {
        return Err(Invalid::new(
            ErrorCode::InvalidField,
            "only agents and bots may offer choices",
        ));
    }
    if !visitor && msg.body.reply_to.is_some() {
        return Err(Invalid::new(
            ErrorCode::InvalidField,
            "only the visitor answers quick replies",
        ));
    }
    Ok(())
}

/// The choice a reply picks among those an earlier message `offered`.
pub fn answer<'a>(offered: &'a Body, reply: &ReplyTo) -> Result<&'a Choice, Invalid> {
    offered
        .choices
        .iter()
        .find(|c| c.id == reply.choice_id)
        .ok_or_else(|| {
            Invalid::new(
                ErrorCode::InvalidField,
                format!("message {} offers no choice {}", reply.seq, reply.choice_id),
            )
        })
}

/// Most custom attributes a visitor profile holds.
pub const MAX_ATTRIBUTES: usize = 50;
/// Longest attribute name, in bytes (`a-z 0-9 _ . -`).
pub const MAX_ATTRIBUTE_NAME_LEN: usize = 64;
/// Longest attribute value, name or email, in characters.
pub const MAX_PROFILE_TEXT_CHARS: usize = 256;
/// Longest page URL, in characters.
pub const MAX_PAGE_URL_CHARS: usize = 2_048;
/// Longest locale tag, in characters.
pub const MAX_LOCALE_CHARS: usize = 35;

/// The attribute that holds the visitor's phone number (the pre-chat form's, or the site's).
pub const PHONE_ATTRIBUTE: &str = "phone";
/// An attribute holding an email address, checked as the profile's `email` is.
pub const EMAIL_ATTRIBUTE: &str = "email";

/// A visitor profile update (`PUT /v1/visitor/profile`, `Porchlight.setAttributes`): short plain
/// text everywhere, attribute names of `a-z 0-9 _ . -`, at most [`MAX_ATTRIBUTES`] of them; an
/// `email` (field or attribute) that is an address and a `phone` attribute that is a phone number
/// ([`crate::contact`]), which is rewritten in E.164; a consent naming a privacy version and a
/// locale.
pub fn profile(p: &mut VisitorProfile) -> Result<(), Invalid> {
    let text = |field: &str, v: &str, max: usize| {
        if v.chars().count() <= max && !v.chars().any(char::is_control) {
            Ok(())
        } else {
            Err(Invalid::new(
                ErrorCode::InvalidField,
                format!("{field} must be at most {max} characters of text"),
            ))
        }
    };
    let fields = [
        ("locale", &p.locale, MAX_LOCALE_CHARS),
        ("page_url", &p.page_url, MAX_PAGE_URL_CHARS),
        ("name", &p.name, MAX_PROFILE_TEXT_CHARS),
        ("email", &p.email, MAX_PROFILE_TEXT_CHARS),
    ];
    for (field, value, max) in fields {
        if let Some(v) = value {
            text(field, v, max)?;
        }
    }
    if p.attributes.len() > MAX_ATTRIBUTES {
        return Err(Invalid::new(
            ErrorCode::InvalidField,
            format!("at most {MAX_ATTRIBUTES} attributes"),
        ));
    }
    for (name, value) in &p.attributes {
        let plain = !name.is_empty()
            && name.len() <= MAX_ATTRIBUTE_NAME_LEN
            && name.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-')
            });
        if !plain {
            return Err(Invalid::new(
                ErrorCode::InvalidField,
                format!(
                    "attribute names must be 1-{MAX_ATTRIBUTE_NAME_LEN} characters of a-z, 0-9, '_', '.' or '-'"
                ),
            ));
        }
        text(name, value, MAX_PROFILE_TEXT_CHARS)?;
    }
    if let Some(e) = &p.email {
        crate::contact::email(e)?;
    }
    if let Some(e) = p.attributes.get(EMAIL_ATTRIBUTE).filter(|v| !v.is_empty()) {
        crate::contact::email(e)?;
    }
    if let Some(v) = p
        .attributes
        .get_mut(PHONE_ATTRIBUTE)
        .filter(|v| !v.is_empty())
    {
        *v = crate::contact::phone(v)?;
    }
    if let Some(c) = &p.consent {
        privacy_version(&c.privacy_version)?;
        locale(&c.locale)?;
    }
    Ok(())
}

/// A privacy text's version: [`PRIVACY_VERSION_LEN`] lower-case hex digits.
pub fn privacy_version(value: &str) -> Result<(), Invalid> {
    let ok = value.len() == PRIVACY_VERSION_LEN
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            ErrorCode::InvalidField,
            format!("consent.privacy_version must be {PRIVACY_VERSION_LEN} lower-case hex digits"),
        ))
    }
}

/// The page address a widget reports: without its query string and fragment unless the site
/// keeps them (`keep_query`).
pub fn page_url(url: &str, keep_query: bool) -> &str {
    if keep_query {
        url
    } else {
        url.split(['?', '#']).next().unwrap_or_default()
    }
}

/// Clamps a requested page size into `1..=MAX_PAGE`.
pub fn page_size(requested: Option<u32>) -> u32 {
    requested.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

/// Whether a request's `Content-Type` declares JSON: `application/json`, in any letter case,
/// with or without parameters (`; charset=utf-8`). A JSON body under any other type, or none,
/// is refused with `unsupported_media_type`.
pub fn is_json_content_type(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|t| t.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// Why a text frame is refused as not UTF-8, if it is. The runtime decodes a text frame before
/// the edge sees it and puts U+FFFD (REPLACEMENT CHARACTER) where the bytes were not UTF-8, so a
/// literal U+FFFD is the only trace of bad bytes the edge can see. A client that means to send
/// that character writes it as the JSON escape `\ufffd`, which this does not refuse.
pub fn frame_text_is_clean(text: &str) -> bool {
    !text.contains(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests {

    #[test]
    fn ratings_are_checked_and_blank_comments_dropped() {
        use super::*;
        let r = |csat, nps, comment: Option<&str>| Rating {
            csat,
            nps,
            comment: comment.map(str::to_owned),
        };
        for bad in [r(0, None, None), r(6, None, None), r(3, Some(11), None)] {
            let mut bad = bad;
            assert_eq!(rating(&mut bad).unwrap_err().code, ErrorCode::InvalidField);
        }
        let mut long = r(5, None, Some(&"x".repeat(MAX_RATING_COMMENT_CHARS + 1)));
        assert_eq!(rating(&mut long).unwrap_err().code, ErrorCode::TooLarge);
        let mut fine = r(1, Some(0), Some("  "));
        rating(&mut fine).unwrap();
        assert_eq!(fine, r(1, Some(0), None));
        let mut said = r(5, Some(10), Some(" 很好 "));
        rating(&mut said).unwrap();
        assert_eq!(said.comment.as_deref(), Some("很好"));
    }

    #[test]
    fn capacity_is_zero_to_the_limit() {
        assert_eq!(super::capacity(0), Ok(()));
        assert_eq!(super::capacity(super::MAX_CAPACITY), Ok(()));
        let e = super::capacity(super::MAX_CAPACITY + 1).unwrap_err();
        assert_eq!(e.code, super::ErrorCode::InvalidField);
        assert_eq!(e.message, "capacity must be 0-100");
    }

    use super::*;

    #[test]
    fn time_zones_and_locales_are_plain_names() {
        for ok in [
            "UTC",
            "America/Sao_Paulo",
            "Etc/GMT+3",
            "America/Argentina/Buenos_Aires",
        ] {
            assert!(time_zone(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Europe/Paris\n", "<script>", "a b", &"x".repeat(65)] {
            assert!(time_zone(bad).is_err(), "{bad}");
        }
        for ok in ["pt-BR", "zh-Hans-CN", "es"] {
            assert!(locale(ok).is_ok(), "{ok}");
        }
        for bad in ["", "p", "-pt", "pt_BR;", "1a"] {
            assert!(locale(bad).is_err(), "{bad}");
        }
    }

    fn text(t: &str) -> Body {
        Body {
            text: t.into(),
            ..Body::default()
        }
    }

    #[test]
    fn profiles_hold_short_plain_text() {
        let mut p = VisitorProfile {
            locale: Some("pt-BR".into()),
            page_url: Some("https://shop.example/a".into()),
            name: Some("Joana".into()),
            ..VisitorProfile::default()
        };
        p.attributes.insert("plan".into(), "pro".into());
        p.attributes.insert("customer.id-2".into(), "c_981".into());
        assert!(profile(&mut p.clone()).is_ok());
        for bad in ["", "Plan", "a b", "ü", &"a".repeat(65)] {
            let mut q = p.clone();
            q.attributes.insert(bad.into(), "x".into());
            assert_eq!(
                profile(&mut q).unwrap_err().code,
                ErrorCode::InvalidField,
                "{bad:?}"
            );
        }
        let mut q = p.clone();
        q.attributes.insert("plan".into(), "x".repeat(257));
        assert!(profile(&mut q).unwrap_err().message.starts_with("plan"));
        let mut q = p.clone();
        q.name = Some("a\u{0}b".into());
        assert!(profile(&mut q).unwrap_err().message.starts_with("name"));
        let mut q = p.clone();
        q.attributes = (0..=MAX_ATTRIBUTES)
            .map(|i| (format!("a{i}"), "v".into()))
            .collect();
        assert!(profile(&mut q).is_err());
    }

    #[test]
    fn profile_contacts_are_checked_and_phones_normalised() {
        let mut p = VisitorProfile {
            email: Some("maria@example.com".into()),
            ..VisitorProfile::default()
        };
        p.attributes
            .insert(PHONE_ATTRIBUTE.into(), "+55 (11) 91234-5678".into());
        assert_eq!(profile(&mut p), Ok(()));
        assert_eq!(p.attributes[PHONE_ATTRIBUTE], "+5511912345678");
        assert_eq!(p.email.as_deref(), Some("maria@example.com"));

        let mut q = VisitorProfile {
            email: Some("maria@example".into()),
            ..VisitorProfile::default()
        };
        assert_eq!(profile(&mut q).unwrap_err().code, ErrorCode::InvalidEmail);
        let mut q = VisitorProfile::default();
        q.attributes
            .insert(EMAIL_ATTRIBUTE.into(), "maria@example".into());
        assert_eq!(profile(&mut q).unwrap_err().code, ErrorCode::InvalidEmail);
        let mut q = VisitorProfile::default();
        q.attributes
            .insert(PHONE_ATTRIBUTE.into(), "call me maybe ###".into());
        let e = profile(&mut q).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidPhone);
        assert_eq!(q.attributes[PHONE_ATTRIBUTE], "call me maybe ###");
        // An empty value removes the attribute: nothing to check.
        let mut q = VisitorProfile::default();
        q.attributes.insert(PHONE_ATTRIBUTE.into(), String::new());
        q.attributes.insert(EMAIL_ATTRIBUTE.into(), String::new());
        assert_eq!(profile(&mut q), Ok(()));
    }

    #[test]
    fn a_consent_names_a_privacy_version_and_a_locale() {
        let consent = |v: &str, l: &str| VisitorProfile {
            consent: Some(crate::protocol::Consent {
                at: 0,
                privacy_version: v.into(),
                locale: l.into(),
            }),
            ..VisitorProfile::default()
        };
        assert_eq!(profile(&mut consent("3f2a9c1e", "pt-BR")), Ok(()));
        for (v, l) in [
            ("3F2A9C1E", "pt-BR"),
            ("3f2a9c1", "pt-BR"),
            ("3f2a9c1e0", "pt-BR"),
            ("3f2a9c1g", "pt-BR"),
            ("", "pt-BR"),
            ("3f2a9c1e", ""),
            ("3f2a9c1e", "<b>"),
        ] {
            assert_eq!(
                profile(&mut consent(v, l)).unwrap_err().code,
                ErrorCode::InvalidField,
                "{v:?} {l:?}"
            );
        }
    }

    #[test]
    fn page_urls_lose_query_and_fragment_unless_kept() {
        let url = "https://shop.example/orders/?order=1234&utm_source=mail#x";
        assert_eq!(page_url(url, false), "https://shop.example/orders/");
        assert_eq!(page_url(url, true), url);
        assert_eq!(
            page_url("https://shop.example/a#x", false),
            "https://shop.example/a"
        );
        assert_eq!(
            page_url("https://shop.example/a", false),
            "https://shop.example/a"
        );
        assert_eq!(page_url("", false), "");
    }

    #[test]
    fn profile_updates_merge() {
        let mut stored = VisitorProfile {
            locale: Some("en".into()),
            name: Some("Pat".into()),
            ..VisitorProfile::default()
        };
        stored.attributes.insert("plan".into(), "free".into());
        stored.attributes.insert("seats".into(), "3".into());
        let mut update = VisitorProfile {
            page_url: Some("https://shop.example/b".into()),
            ..VisitorProfile::default()
        };
        update.attributes.insert("plan".into(), "pro".into());
        update.attributes.insert("seats".into(), String::new());
        let next = stored.clone().updated(update.clone());
        assert_eq!(next.locale.as_deref(), Some("en"));
        assert_eq!(next.name.as_deref(), Some("Pat"));
        assert_eq!(next.page_url.as_deref(), Some("https://shop.example/b"));
        assert_eq!(next.attributes.len(), 1);
        assert_eq!(next.attributes["plan"], "pro");
        // Verified fields come from identify only.
        let verified = VisitorProfile {
            verified: true,
            verified_id: Some("u-1".into()),
            ..stored
        };
        let next = verified.clone().updated(VisitorProfile {
            name: Some("Impostor".into()),
            verified: false,
            verified_id: Some("admin".into()),
            ..update
        });
        assert!(next.verified);
        assert_eq!(next.verified_id.as_deref(), Some("u-1"));
        assert_eq!(next.name.as_deref(), Some("Pat"));
    }

    #[test]
    fn ids_are_short_and_plain() {
        assert!(id("x", "c_01-AZ").is_ok());
        assert!(id("x", &"a".repeat(64)).is_ok());
        for bad in ["", " ", "a/b", "a.b", "ü", &"a".repeat(65)] {
            let e = id("site_id", bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidField, "{bad:?}");
            assert!(e.message.starts_with("site_id"));
        }
    }

    #[test]
    fn text_is_not_blank_and_not_too_long() {
        assert!(body(&text("olá")).is_ok());
        assert_eq!(
            body(&text(" \n\t")).unwrap_err().code,
            ErrorCode::InvalidField
        );
        // Counted in characters, not bytes: 4 000 CJK characters are 12 000 bytes but fine.
        assert!(body(&text(&"会".repeat(MAX_TEXT_CHARS))).is_ok());
        let long = body(&text(&"a".repeat(MAX_TEXT_CHARS + 1))).unwrap_err();
        assert_eq!(long.code, ErrorCode::TooLarge);
    }

    fn choice(id: &str, label: &str) -> Choice {
        Choice {
            id: id.into(),
            label: label.into(),
        }
    }

    fn offering(choices: Vec<Choice>) -> Body {
        Body {
            text: "Pick one".into(),
            choices,
            ..Body::default()
        }
    }

    fn msg(body: Body) -> SendMessage {
        SendMessage {
            client_id: "m1".into(),
            body,
        }
    }

    #[test]
    fn choices_are_one_to_ten_with_plain_ids_and_short_labels() {
        assert!(body(&offering(vec![choice("yes", "Yes")])).is_ok());
        let ten: Vec<Choice> = (0..10).map(|i| choice(&format!("c{i}"), "x")).collect();
        assert!(body(&offering(ten.clone())).is_ok());
        let mut eleven = ten;
        eleven.push(choice("c10", "x"));
        assert!(body(&offering(vec![choice("a", &"é".repeat(80))])).is_ok());
        for bad in [
            eleven,
            vec![choice("a b", "A")],
            vec![choice("", "A")],
            vec![choice("a", "A"), choice("a", "B")],
            vec![choice("a", " ")],
            vec![choice("a", &"x".repeat(81))],
            vec![choice("a", "line\nbreak")],
        ] {
            let e = body(&offering(bad.clone())).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidField, "{bad:?}");
        }
    }

    #[test]
    fn only_agents_and_bots_offer_choices_and_only_visitors_answer() {
        let offer = msg(offering(vec![choice("yes", "Yes")]));
        let agent = Author::Agent { id: "ag".into() };
        let bot = Author::Bot { id: "flow".into() };
        assert!(message_from(&agent, &offer).is_ok());
        assert!(message_from(&bot, &offer).is_ok());
        let e = message_from(&Author::Visitor, &offer).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidField);

        // An answer needs no text of its own; the edge stores the label.
        let reply = msg(Body {
            reply_to: Some(ReplyTo {
                seq: 3,
                choice_id: "yes".into(),
            }),
            ..Body::default()
        });
        assert!(message_from(&Author::Visitor, &reply).is_ok());
        assert_eq!(
            message_from(&agent, &reply).unwrap_err().code,
            ErrorCode::InvalidField
        );
        let mut bad = reply.clone();
        bad.body.reply_to = Some(ReplyTo {
            seq: 3,
            choice_id: "../x".into(),
        });
        assert_eq!(
            message_from(&Author::Visitor, &bad).unwrap_err().code,
            ErrorCode::InvalidField
        );
        let mut both = offer.clone();
        both.body.reply_to = reply.body.reply_to.clone();
        assert_eq!(
            message_from(&agent, &both).unwrap_err().code,
            ErrorCode::InvalidField
        );
    }

    #[test]
    fn an_answer_must_name_an_offered_choice() {
        let offered = offering(vec![choice("yes", "Yes"), choice("no", "No")]);
        let pick = |c: &str| ReplyTo {
            seq: 3,
            choice_id: c.into(),
        };
        assert_eq!(answer(&offered, &pick("no")).unwrap().label, "No");
        assert_eq!(
            answer(&offered, &pick("maybe")).unwrap_err().code,
            ErrorCode::InvalidField
        );
        assert!(answer(&text("plain"), &pick("yes")).is_err());
    }

    #[test]
    fn page_sizes_are_clamped() {
        assert_eq!(page_size(None), DEFAULT_PAGE);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(1_000)), MAX_PAGE);
        assert_eq!(page_size(Some(20)), 20);
    }

    #[test]
    fn json_content_types() {
        assert!(is_json_content_type(Some("application/json")));
        assert!(is_json_content_type(Some(
            "Application/JSON; charset=utf-8"
        )));
        assert!(is_json_content_type(Some(
            " application/json ;charset=UTF-8"
        )));
        assert!(!is_json_content_type(None));
        assert!(!is_json_content_type(Some("")));
        assert!(!is_json_content_type(Some("text/plain")));
        assert!(!is_json_content_type(Some("application/jsonx")));
        assert!(!is_json_content_type(Some(
            "application/x-www-form-urlencoded"
        )));
    }

    #[test]
    fn frame_text_with_a_replacement_character_is_refused() {
        assert!(frame_text_is_clean(r#"{"type":"ping"}"#));
        // The escape decodes to U+FFFD only after the check: the way to send the character.
        assert!(frame_text_is_clean(r#"{"text":"\ufffd"}"#));
        assert!(!frame_text_is_clean("{\"text\":\"a\u{FFFD}b\"}"));
    }
}
