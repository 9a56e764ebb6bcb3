//! A frame number and capture time written into the picture as big black and white blocks,
//! so they survive lossy compression and can be read back after decoding.
//!
//! Layout: 80 bits in a grid of 16 columns by 5 rows of square blocks at the top-left of the
//! picture. Bits 0..32 hold the frame number, 32..72 the capture time in microseconds
//! (40 bits, about 12 days), 72..80 a checksum over the first 9 bytes.

use std::time::Duration;

use crate::frame::VideoFrame;

const COLUMNS: usize = 16;
const ROWS: usize = 5;
const BITS: usize = COLUMNS * ROWS;
const BLACK: u8 = 16;
const WHITE: u8 = 235;

/// What a test pattern carries in its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Frame number, from 0.
    pub frame_number: u32,
    /// Capture time on the sender's media clock (microsecond precision).
    pub capture_time: Duration,
}

fn block_size(frame: &VideoFrame) -> usize {
    (frame.width() / COLUMNS).min(frame.height() / ROWS)
}

fn to_bytes(stamp: Stamp) -> [u8; BITS / 8] {
    let mut bytes = [0u8; BITS / 8];
    bytes[..4].copy_from_slice(&stamp.frame_number.to_le_bytes());
    let micros = (stamp.capture_time.as_micros() as u64) & 0xff_ffff_ffff;
    bytes[4..9].copy_from_slice(&micros.to_le_bytes()[..5]);
    bytes[9] = checksum(&bytes[..9]);
    bytes
}

fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0xa5u8, |acc, &b| acc.rotate_left(3) ^ b)
}

/// Writes `stamp` into the top of the luma plane (and greys the chroma under it).
pub fn write_stamp(frame: &mut VideoFrame, stamp: Stamp) {
    let size = block_size(frame);
    let width = frame.width();
    let bytes = to_bytes(stamp);
    let y = frame.y_mut();
    for bit in 0..BITS {
        let on = bytes[bit / 8] >> (bit % 8) & 1 == 1;
        let (col, row) = (bit % COLUMNS, bit / COLUMNS);
        for line in row * size..(row + 1) * size {
            let start = line * width + col * size;
            y[start..start + size].fill(if on { WHITE } else { BLACK });
        }
    }
    let chroma_width = width / 2;
    let (u, v) = frame.uv_mut();
    for line in 0..ROWS * size / 2 {
        let start = line * chroma_width;
        u[start..start + COLUMNS * size / 2].fill(128);
        v[start..start + COLUMNS * size / 2].fill(128);
    }
}

/// Reads a stamp back, or `None` if the blocks are unreadable or the checksum fails.
pub fn read_stamp(frame: &VideoFrame) -> Option<Stamp> {
    let size = block_size(frame);
    if size < 4 {
        return None;
    }
    let width = frame.width();
    let y = frame.y();
    let mut bytes = [0u8; BITS / 8];
    for bit in 0..BITS {
        let (col, row) = (bit % COLUMNS, bit / COLUMNS);
        // Average the middle half of the block, away from edges that blur.
        let (x0, y0) = (col * size + size / 4, row * size + size / 4);
        let mut sum = 0u32;
        let mut count = 0u32;
        for line in y0..y0 + size / 2 {
            for x in x0..x0 + size / 2 {
                sum += u32::from(y[line * width + x]);
                count += 1;
            }
        }
        if sum / count > u32::from(BLACK / 2 + WHITE / 2) {
            bytes[bit / 8] |= 1 << (bit % 8);
        }
    }
    if checksum(&bytes[..9]) != bytes[9] {
        return None;
    }
    let frame_number = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    let mut micros = [0u8; 8];
    micros[..5].copy_from_slice(&bytes[4..9]);
    Some(Stamp {
        frame_number,
        capture_time: Duration::from_micros(u64::from_le_bytes(micros)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_pixels() {
        let mut frame = VideoFrame::black(320, 180, Duration::ZERO).expect("frame");
        let stamp = Stamp {
            frame_number: 123_456,
            capture_time: Duration::from_micros(98_765_432_101),
        };
        write_stamp(&mut frame, stamp);
        assert_eq!(read_stamp(&frame), Some(stamp));
    }

    #[test]
    fn survives_noise_but_rejects_garbage() {
        let mut frame = VideoFrame::black(320, 180, Duration::ZERO).expect("frame");
        let stamp = Stamp {
            frame_number: 7,
            capture_time: Duration::from_millis(1234),
        };
        write_stamp(&mut frame, stamp);
        for (i, px) in frame.y_mut().iter_mut().enumerate() {
            *px = px.saturating_add((i % 40) as u8).saturating_sub(20);
        }
        assert_eq!(read_stamp(&frame), Some(stamp));
        let grey = VideoFrame::black(320, 180, Duration::ZERO).expect("frame");
        assert_eq!(read_stamp(&grey), None);
    }
}
