//! The audit trail's hash chain. Each event's hash covers its own fields and the
//! hash of the previous event of the same chain (one chain per organisation,
//! plus one for installation-wide events).

use sha2::{Digest, Sha256};

/// The chain for events that belong to no organisation (users, installation).
pub const INSTALLATION_CHAIN: &str = "installation";
/// The `prev_hash` of a chain's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields an event hash covers, in order.
#[derive(Clone, Debug)]
pub struct EventFields<'a> {
    pub chain: &'a str,
    pub seq: i64,
    pub at: &'a str,
    pub actor_id: Option<&'a str>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// SHA-256 over the previous hash and each field, length-prefixed so that no
/// two different events can produce the same input.
pub fn event_hash(prev_hash: &str, f: &EventFields<'_>) -> String {
    let mut h = Sha256::new();
    let seq = f.seq.to_string();
    let parts: [Option<&str>; 11] = [
        Some(prev_hash),
        Some(f.chain),
        Some(&seq),
        Some(f.at),
        f.actor_id,
        Some(f.actor_label),
        Some(f.action),
        Some(f.entity_type),
        Some(f.entity_id),
        f.before,
        f.after,
    ];
    for p in parts {
        match p {
            None => h.update(b"-;"),
            Some(s) => {
                h.update(s.len().to_string().as_bytes());
                h.update(b":");
                h.update(s.as_bytes());
                h.update(b";");
            }
        }
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f<'a>(before: Option<&'a str>, after: Option<&'a str>) -> EventFields<'a> {
        EventFields {
            chain: "org",
            seq: 1,
            at: "2026-01-01T00:00:00.000000Z",
            actor_id: None,
            actor_label: "x",
            action: "create",
            entity_type: "t",
            entity_id: "i",
            before,
            after,
        }
    }

    #[test]
    fn every_field_changes_the_hash() {
        let a = event_hash(GENESIS, &f(None, Some("{}")));
        assert_eq!(a, event_hash(GENESIS, &f(None, Some("{}"))));
        assert_ne!(a, event_hash(GENESIS, &f(Some("{}"), None)));
        assert_ne!(a, event_hash(GENESIS, &f(None, Some("{ }"))));
        assert_ne!(a, event_hash(&a, &f(None, Some("{}"))));
    }
}
