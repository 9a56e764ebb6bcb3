//! XOR parity over a group of fragments: any one lost fragment of the group can be rebuilt
//! from the others and the parity, with no round trip.
//!
//! The parity payload is the group size (1 byte), the XOR of the fragments' lengths (2 bytes,
//! big endian), then the XOR of their bytes, each zero-padded to the longest.

/// Bytes a parity payload adds in front of the XORed data.
pub const PARITY_OVERHEAD: usize = 3;

/// An accumulating XOR of fragments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parity {
    group_size: u8,
    length: u16,
    data: Vec<u8>,
}

impl Parity {
    /// An empty parity for groups of `group_size` fragments.
    pub fn new(group_size: u8) -> Self {
        Self {
            group_size,
            length: 0,
            data: Vec::new(),
        }
    }

    /// Parses a parity payload; `None` if it is too short or names an empty group.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let (&[group_size, hi, lo], data) = bytes.split_first_chunk::<PARITY_OVERHEAD>()?;
        (group_size > 0).then(|| Self {
            group_size,
            length: u16::from_be_bytes([hi, lo]),
            data: data.to_vec(),
        })
    }

    /// How many consecutive fragments each group covers.
    pub fn group_size(&self) -> usize {
        usize::from(self.group_size)
    }

    /// XORs one fragment in (or out: XOR is its own inverse).
    pub fn add(&mut self, fragment: &[u8]) {
        self.length ^= u16::try_from(fragment.len()).unwrap_or(u16::MAX);
        if self.data.len() < fragment.len() {
            self.data.resize(fragment.len(), 0);
        }
        for (d, f) in self.data.iter_mut().zip(fragment) {
            *d ^= f;
        }
    }

    /// The payload to send.
    pub fn into_bytes(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(PARITY_OVERHEAD + self.data.len());
        out.push(self.group_size);
        out.extend_from_slice(&self.length.to_be_bytes());
        out.extend(self.data);
        out
    }

    /// Once every other fragment of the group was added, the missing one.
    pub fn recover(mut self) -> Option<Vec<u8>> {
        let length = usize::from(self.length);
        if length > self.data.len() {
            return None;
        }
        self.data.truncate(length);
        Some(self.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebuilds_any_one_missing_fragment() {
        let fragments: [&[u8]; 3] = [b"hello wor", b"ld, this i", b"s short"];
        let mut parity = Parity::new(3);
        fragments.iter().for_each(|f| parity.add(f));
        let bytes = parity.into_bytes();
        for missing in 0..3 {
            let mut p = Parity::from_bytes(&bytes).expect("parse");
            assert_eq!(p.group_size(), 3);
            for (i, f) in fragments.iter().enumerate() {
                if i != missing {
                    p.add(f);
                }
            }
            assert_eq!(p.recover().as_deref(), Some(fragments[missing]));
        }
        assert!(Parity::from_bytes(&[1]).is_none());
        assert!(Parity::from_bytes(&[0, 0, 0]).is_none());
    }
}
