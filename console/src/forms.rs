//! What the admin forms accept, checked before anything is sent (the edge checks again): skill
//! lists, capacities, new accounts. Plain functions, tested natively.

use porchlight_shared::console::{AgentRole, NewAgent};

/// Shortest initial password the edge accepts.
pub const MIN_PASSWORD: usize = 10;
pub use porchlight_shared::validate::MAX_CAPACITY;

/// `"pt, Billing  en,pt"` → `["billing", "en", "pt"]`: split on commas and spaces, lower case,
/// sorted, without repeats or blanks.
pub fn parse_skills(text: &str) -> Vec<String> {
    let mut skills: Vec<String> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    skills.sort();
    skills.dedup();
    skills
}

/// A capacity typed in a form: a whole number from 0 to [`MAX_CAPACITY`].
pub fn parse_capacity(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if n <= MAX_CAPACITY => Ok(n),
        _ => Err(format!(
            "Capacity must be a whole number from 0 to {MAX_CAPACITY}."
        )),
    }
}

/// A role chosen in a form (the wire names).
pub fn parse_role(text: &str) -> Result<AgentRole, String> {
    AgentRole::parse(text).ok_or_else(|| "Choose a role.".to_owned())
}

/// The raw fields of the invite form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InviteFields {
    /// Display name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Role, by wire name.
    pub role: String,
    /// Skills, comma separated.
    pub skills: String,
    /// Capacity, as typed.
    pub capacity: String,
    /// Initial password.
    pub password: String,
}

impl InviteFields {
    /// The account to create, or the first problem as a sentence.
    pub fn to_new_agent(&self) -> Result<NewAgent, String> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err("Enter a name.".to_owned());
        }
        let email = self.email.trim();
        let plausible = email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
        if !plausible || email.chars().any(char::is_whitespace) {
            return Err("Enter a valid email address.".to_owned());
        }
        if self.password.chars().count() < MIN_PASSWORD {
            return Err(format!(
                "The initial password needs at least {MIN_PASSWORD} characters."
            ));
        }
        Ok(NewAgent {
            email: email.to_owned(),
            name: name.to_owned(),
            role: parse_role(&self.role)?,
            skills: parse_skills(&self.skills),
            capacity: parse_capacity(&self.capacity)?,
            password: self.password.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_are_normalised() {
        assert_eq!(parse_skills("pt, Billing  en,pt"), ["billing", "en", "pt"]);
        assert!(parse_skills(" , ").is_empty());
    }

    #[test]
    fn capacities_are_small_whole_numbers() {
        assert_eq!(parse_capacity(" 2 "), Ok(2));
        assert_eq!(parse_capacity("0"), Ok(0));
        assert_eq!(parse_capacity("100"), Ok(MAX_CAPACITY));
        for bad in ["", "-1", "1.5", "x", "101"] {
            assert!(parse_capacity(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn invites_are_checked_field_by_field() {
        let ok = InviteFields {
            name: " Carol ".into(),
            email: "carol@demo.test".into(),
            role: "operator".into(),
            skills: "zh, en".into(),
            capacity: "3".into(),
            password: "a long secret".into(),
        };
        assert_eq!(
            ok.to_new_agent(),
            Ok(NewAgent {
                email: "carol@demo.test".into(),
                name: "Carol".into(),
                role: AgentRole::Operator,
                skills: vec!["en".into(), "zh".into()],
                capacity: 3,
                password: "a long secret".into(),
            })
        );
        let broken = [
            InviteFields {
                name: "  ".into(),
                ..ok.clone()
            },
            InviteFields {
                email: "carol".into(),
                ..ok.clone()
            },
            InviteFields {
                email: "a b@x.test".into(),
                ..ok.clone()
            },
            InviteFields {
                password: "short".into(),
                ..ok.clone()
            },
            InviteFields {
                role: "owner".into(),
                ..ok.clone()
            },
            InviteFields {
                capacity: "many".into(),
                ..ok.clone()
            },
        ];
        for fields in broken {
            assert!(fields.to_new_agent().is_err(), "{fields:?}");
        }
    }
}
