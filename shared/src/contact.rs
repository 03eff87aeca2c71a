//! The email address and phone number a visitor gives (pre-chat form, `identify`,
//! `setAttributes`): one practical rule for each, applied by the widget (to say so beside the
//! field) and by the edge (to refuse, storing nothing). Plain code, no pattern engine: the
//! widget's size counts.
//!
//! - **Email:** one `@`; a local part of 1–64 characters and a domain of at most 253, 254 in
//!   all; no spaces or control characters; the domain has at least two dot-separated labels of
//!   1–63 ASCII letters and digits, inner `-`, or any other (non-ASCII) character:
//!   internationalised domains are written as people type them. (Telling letters of every script
//!   apart from their symbols would compile Unicode's tables into the widget: kilobytes.) The last
//!   label is not all digits. `maria@example` is refused:
//!   mail to a bare host name does not reach anyone.
//! - **Phone:** stored in E.164 (`+5511912345678`). What people type is normalised first:
//!   spaces, dashes, dots, parentheses and `/` are dropped, full-width digits and `＋` read as
//!   ASCII, and a leading `00` is the international prefix (`+`). What remains must be `+`, a
//!   country code not starting with 0, and 7–15 digits in all. A number without its country
//!   code is refused: sites have no default country to add.

use crate::error::ErrorCode;
use crate::validate::Invalid;

/// Longest email address, in characters (RFC 5321's path limit less the angle brackets).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest local part (before the `@`), in characters.
pub const MAX_EMAIL_LOCAL_CHARS: usize = 64;
/// Longest domain, in characters.
pub const MAX_EMAIL_DOMAIN_CHARS: usize = 253;
/// Longest domain label, in characters.
pub const MAX_LABEL_CHARS: usize = 63;
/// Fewest digits of a phone number, country code included.
pub const MIN_PHONE_DIGITS: usize = 7;
/// Most digits of a phone number, country code included (E.164).
pub const MAX_PHONE_DIGITS: usize = 15;
/// Longest phone number as typed, in characters, before it is normalised.
pub const MAX_PHONE_INPUT_CHARS: usize = 40;

fn bad_email() -> Invalid {
    Invalid {
        code: ErrorCode::InvalidEmail,
        message: "email must be an address like name@example.com".to_owned(),
    }
}

fn bad_phone() -> Invalid {
    Invalid {
        code: ErrorCode::InvalidPhone,
        message: "phone must be a number with its country code, like +55 11 91234 5678".to_owned(),
    }
}

/// Checks an email address by the rule in the module's documentation.
pub fn email(value: &str) -> Result<(), Invalid> {
    let ok = value.chars().count() <= MAX_EMAIL_CHARS
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ','))
        && match value.split_once('@') {
            Some((local, domain)) => local_part(local) && email_domain(domain),
            None => false,
        };
    if ok {
        Ok(())
    } else {
        Err(bad_email())
    }
}

fn local_part(local: &str) -> bool {
    let n = local.chars().count();
    (1..=MAX_EMAIL_LOCAL_CHARS).contains(&n)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
}

fn email_domain(domain: &str) -> bool {
    if domain.chars().count() > MAX_EMAIL_DOMAIN_CHARS {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let last_is_name = labels
        .last()
        .is_some_and(|l| !l.chars().all(|c| c.is_ascii_digit()));
    labels.len() >= 2 && last_is_name && labels.iter().all(|l| label(l))
}

fn label(l: &str) -> bool {
    let n = l.chars().count();
    (1..=MAX_LABEL_CHARS).contains(&n)
        && !l.starts_with('-')
        && !l.ends_with('-')
        && l.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii())
}

/// Normalises a phone number as typed into E.164 (`+` and digits), by the rule in the module's
/// documentation; refuses what is not a phone number.
pub fn phone(value: &str) -> Result<String, Invalid> {
    if value.chars().count() > MAX_PHONE_INPUT_CHARS {
        return Err(bad_phone());
    }
    let mut out = String::with_capacity(MAX_PHONE_DIGITS + 1);
    for c in value.chars() {
        match c {
            '0'..='9' | '+' => out.push(c),
            // Full-width forms, as East Asian input methods type them.
            '\u{FF10}'..='\u{FF19}' => {
                out.push(char::from(b'0' + (c as u32 - 0xFF10) as u8));
            }
            '\u{FF0B}' => out.push('+'),
            // Separators people put in a number (hyphens and dashes of every width).
            '-' | '.' | '(' | ')' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF0D}' => {}
            c if c.is_whitespace() => {}
            _ => return Err(bad_phone()),
        }
    }
    let digits = match out.strip_prefix('+') {
        Some(rest) => rest,
        None => out.strip_prefix("00").ok_or_else(bad_phone)?,
    };
    let ok = (MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(format!("+{digits}"))
    } else {
        Err(bad_phone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practical_email_addresses_pass() {
        for ok in [
            "maria@example.com",
            "joana.silva+chat@mail.shop.example",
            "o'brien@example.ie",
            "user_1@sub-domain.example.co.uk",
            // Internationalised: Unicode local parts and domains as people type them.
            "josé@correo.españa.es",
            "用户@例子.广告",
            "a@b.co",
            "x@xn--bcher-kva.example",
        ] {
            assert_eq!(email(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn email_needs_one_at_and_a_dotted_domain() {
        for bad in [
            "maria@example",
            "maria",
            "",
            "@example.com",
            "maria@",
            "maria@@example.com",
            "ma@ria@example.com",
            "maria@.example.com",
            "maria@example.com.",
            "maria@example..com",
            "maria@-example.com",
            "maria@example-.com",
            "maria@exa_mple.com",
            "maria@127.0.0.1",
            ".maria@example.com",
            "maria.@example.com",
            "ma..ria@example.com",
            "maria silva@example.com",
            "maria@example.com ",
            " maria@example.com",
            "maria\u{00A0}@example.com",
            "maria\u{7}@example.com",
            "Maria <maria@example.com>",
            "a@b.c,d@e.f",
            "call me maybe ###",
        ] {
            let e = email(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidEmail, "{bad:?}");
        }
    }

    #[test]
    fn email_length_limits() {
        let local = "a".repeat(MAX_EMAIL_LOCAL_CHARS);
        assert_eq!(email(&format!("{local}@example.com")), Ok(()));
        assert!(email(&format!("a{local}@example.com")).is_err());
        let label63 = "b".repeat(MAX_LABEL_CHARS);
        assert_eq!(email(&format!("a@{label63}.com")), Ok(()));
        assert!(email(&format!("a@b{label63}.com")).is_err());
        // Counted in characters, not bytes: 64 two-byte letters still fit.
        assert_eq!(email(&format!("{}@example.com", "é".repeat(64))), Ok(()));
        // 254 in all: a 64-character local part and a 189-character domain fit, one more not.
        let domain = |n: usize| {
            format!(
                "{}.{}.com",
                vec!["c".repeat(60); 3].join("."),
                "c".repeat(n - 187)
            )
        };
        assert_eq!(domain(189).chars().count(), 189);
        assert_eq!(email(&format!("{local}@{}", domain(189))), Ok(()));
        assert!(email(&format!("{local}@{}", domain(190))).is_err());
    }

    #[test]
    fn phones_are_normalised_to_e164() {
        for (typed, stored) in [
            ("+55 11 91234-5678", "+5511912345678"),
            ("+1 (415) 555-0100", "+14155550100"),
            ("0044 20 7946 0958", "+442079460958"),
            ("+49.30.1234567", "+49301234567"),
            ("  +351 912 345 678  ", "+351912345678"),
            ("+86 138/0013/8000", "+8613800138000"),
            // Full-width digits and plus sign, as a Chinese input method types them.
            ("＋８６ １３８ ００１３ ８０００", "+8613800138000"),
            // Non-breaking and thin spaces, Unicode dashes.
            ("+55\u{00A0}11\u{2009}91234\u{2013}5678", "+5511912345678"),
            ("+290 1234", "+2901234"),
            ("+123456789012345", "+123456789012345"),
        ] {
            assert_eq!(phone(typed).as_deref(), Ok(stored), "{typed:?}");
        }
    }

    #[test]
    fn what_is_not_a_phone_number_is_refused() {
        for bad in [
            "call me maybe ###",
            "",
            "+",
            "00",
            "11 91234-5678",
            "(11) 91234-5678",
            "+0 123 456 789",
            "+55 11 9123x5678",
            "+55 11 91234 5678 ext 12",
            "+1234567890123456",
            "+123456",
            "++5511912345678",
            "+55+11912345678",
            "+٥٥١١٩١٢٣٤٥٦٧٨",
            "+55\u{7}11912345678",
            &format!("+55{}", " ".repeat(40)),
        ] {
            let e = phone(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidPhone, "{bad:?}");
        }
    }
}
