//! The agent's notification choices: a browser notification and a sound for new offers and
//! messages, both off until turned on, kept in `localStorage` as a short text that this module
//! encodes and decodes (tested natively).

/// The `localStorage` key.
pub const KEY: &str = "porchlight:console:prefs";

/// What the agent wants to be told about new offers and messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prefs {
    /// Show browser notifications.
    pub notifications: bool,
    /// Play a sound.
    pub sound: bool,
}

impl Prefs {
    /// Reads the stored text; anything unknown or malformed is off.
    pub fn decode(text: &str) -> Prefs {
        let mut prefs = Prefs::default();
        for part in text.split(';') {
            match part.trim() {
                "notifications=1" => prefs.notifications = true,
                "sound=1" => prefs.sound = true,
                _ => {}
            }
        }
        prefs
    }

    /// The text to store.
    pub fn encode(self) -> String {
        format!(
            "notifications={};sound={}",
            u8::from(self.notifications),
            u8::from(self.sound)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_by_default_and_round_trips() {
        assert_eq!(Prefs::decode(""), Prefs::default());
        assert_eq!(Prefs::decode("garbage"), Prefs::default());
        for notifications in [false, true] {
            for sound in [false, true] {
                let p = Prefs {
                    notifications,
                    sound,
                };
                assert_eq!(Prefs::decode(&p.encode()), p);
            }
        }
        assert_eq!(Prefs::default().encode(), "notifications=0;sound=0");
        assert_eq!(
            Prefs::decode(" sound=1 ; notifications=2"),
            Prefs {
                notifications: false,
                sound: true
            }
        );
    }
}
