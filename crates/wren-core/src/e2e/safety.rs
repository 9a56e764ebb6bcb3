//! Safety numbers: what two people compare (in person, or over another channel) to know
//! that their chats are encrypted for each other's devices and nobody else's.
//!
//! The number is Signal's numeric fingerprint (version 0, 5,200 iterations of SHA-512 over
//! the identity key and a stable identifier, 30 digits per side), computed over all of an
//! account's device identity keys (sorted, concatenated) with the account id as the
//! identifier. Both sides' 30 digits are joined lowest account id first, so both people
//! see the same 60 digits. A new device, or a key the server swapped, changes them.

use ring::digest::{Context, SHA512};
use wren_proto::AccountId;

const VERSION: [u8; 2] = [0, 0];
const ITERATIONS: usize = 5200;

/// One side's 30 digits.
fn side(account: AccountId, mut keys: Vec<Vec<u8>>) -> String {
    keys.sort();
    let key: Vec<u8> = keys.concat();
    let mut hash = {
        let mut first = Context::new(&SHA512);
        first.update(&VERSION);
        first.update(&key);
        first.update(account.0.to_string().as_bytes());
        first.finish()
    };
    for _ in 1..ITERATIONS {
        let mut next = Context::new(&SHA512);
        next.update(hash.as_ref());
        next.update(&key);
        hash = next.finish();
    }
    hash.as_ref()[..30]
        .chunks(5)
        .map(|chunk| {
            let value = chunk.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            format!("{:05}", value % 100_000)
        })
        .collect()
}

/// The 60-digit safety number of two accounts, from each one's device identity keys, in
/// twelve groups of five digits.
pub fn safety_number(a: (AccountId, Vec<Vec<u8>>), b: (AccountId, Vec<Vec<u8>>)) -> String {
    let (low, high) = if a.0 <= b.0 { (a, b) } else { (b, a) };
    let digits = side(low.0, low.1) + &side(high.0, high.1);
    digits
        .as_bytes()
        .chunks(5)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A contact's safety number as this device sees it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SafetyNumber {
    /// Sixty digits in twelve groups of five.
    pub digits: String,
    /// The user marked this very number as verified.
    pub verified: bool,
    /// The user had verified an earlier number: a device was added or a key changed since.
    pub changed: bool,
    /// How many devices of the contact it covers.
    pub contact_devices: usize,
    /// It covers the keys in your direct chat's encryption group (`false`: the keys the
    /// server lists, as you have no direct chat with them yet).
    pub from_chat: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(seed: u8, n: u8) -> Vec<Vec<u8>> {
        (0..n).map(|i| vec![seed.wrapping_add(i); 32]).collect()
    }

    #[test]
    fn both_sides_see_the_same_number_and_any_key_changes_it() {
        let alice = (AccountId(1), keys(1, 2));
        let bob = (AccountId(2), keys(9, 1));
        let seen_by_alice = safety_number(alice.clone(), bob.clone());
        assert_eq!(seen_by_alice, safety_number(bob.clone(), alice.clone()));
        assert_eq!(seen_by_alice.split(' ').count(), 12);
        assert!(seen_by_alice
            .split(' ')
            .all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit())));
        // The order the devices are listed in does not matter.
        let mut reordered = alice.clone();
        reordered.1.reverse();
        assert_eq!(seen_by_alice, safety_number(reordered, bob.clone()));
        // A new device of bob's, or one swapped key, gives another number.
        let bob_with_tablet = (AccountId(2), keys(9, 2));
        assert_ne!(seen_by_alice, safety_number(alice.clone(), bob_with_tablet));
        let mut swapped = bob.clone();
        swapped.1[0][0] ^= 1;
        assert_ne!(seen_by_alice, safety_number(alice, swapped));
    }
}
