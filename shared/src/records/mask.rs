//! Masking of personal data for an export that asks for it: enough left to tell rows apart
//! (and to recognise one's own), not enough to contact the person.

/// `maria.silva@example.com` → `m***@example.com`. Text without an `@` is masked whole.
pub fn email(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ => "***".to_owned(),
    }
}

/// Every digit but the last four replaced by `*`, other characters kept:
/// `+55 11 98765-4321` → `+** ** *****-4321`. Fewer than five digits: all masked.
pub fn phone(number: &str) -> String {
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let keep = if digits > 4 { 4 } else { 0 };
    let mut seen = 0;
    number
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen > digits - keep {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_keep_the_first_letter_and_the_domain() {
        assert_eq!(email("maria.silva@example.com"), "m***@example.com");
        assert_eq!(email("王@例子.中国"), "王***@例子.中国");
        assert_eq!(email("a@b.co"), "a***@b.co");
        assert_eq!(email("@example.com"), "***");
        assert_eq!(email("not an email"), "***");
    }

    #[test]
    fn phones_keep_their_last_four_digits() {
        assert_eq!(phone("+5511987654321"), "+*********4321");
        assert_eq!(phone("+55 11 98765-4321"), "+** ** *****-4321");
        assert_eq!(phone("1234"), "****");
        assert_eq!(phone(""), "");
    }
}
