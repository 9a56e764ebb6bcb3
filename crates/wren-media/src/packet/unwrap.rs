//! Extends wrapping sequence numbers and timestamps to monotonic 64-bit values.

/// Unwraps a counter of `bits` bits that moves forward with occasional reordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unwrapper {
    bits: u32,
    last: Option<u64>,
}

impl Unwrapper {
    /// An unwrapper for 16-bit sequence numbers.
    pub fn u16() -> Self {
        Self {
            bits: 16,
            last: None,
        }
    }

    /// An unwrapper for 32-bit timestamps and frame ids.
    pub fn u32() -> Self {
        Self {
            bits: 32,
            last: None,
        }
    }

    /// The 64-bit value closest to the last one seen whose low bits are `value`.
    pub fn unwrap(&mut self, value: u64) -> u64 {
        let modulus = 1u64 << self.bits;
        let value = value & (modulus - 1);
        let Some(last) = self.last else {
            self.last = Some(value);
            return value;
        };
        let base = last & !(modulus - 1);
        let best = [base.checked_sub(modulus), Some(base), Some(base + modulus)]
            .into_iter()
            .flatten()
            .map(|b| b + value)
            .min_by_key(|c| c.abs_diff(last))
            .unwrap_or(value);
        if best > last {
            self.last = Some(best);
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_forward_and_tolerates_reordering() {
        let mut u = Unwrapper::u16();
        let a = u.unwrap(65_534);
        let b = u.unwrap(1);
        let c = u.unwrap(65_535);
        assert_eq!(b - a, 3);
        assert_eq!(c - a, 1);
        assert_eq!(u.unwrap(2) - a, 4);
    }
}
