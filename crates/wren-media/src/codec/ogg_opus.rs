//! Writes Opus packets as a standard Ogg Opus file (RFC 7845).

use std::io::Write;

use ogg::writing::{PacketWriteEndInfo, PacketWriter};

use crate::error::Result;
use crate::frame::{FRAME_SAMPLES, SAMPLE_RATE};

const SERIAL: u32 = 0x5772_656e;

/// Streams 20 ms mono Opus packets into an Ogg container.
pub struct OggOpusWriter<W: Write> {
    writer: PacketWriter<'static, W>,
    samples: u64,
    pending: Option<Vec<u8>>,
}

impl<W: Write> std::fmt::Debug for OggOpusWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OggOpusWriter")
            .field("samples", &self.samples)
            .finish_non_exhaustive()
    }
}

impl<W: Write> OggOpusWriter<W> {
    /// Writes the OpusHead and OpusTags headers; `pre_skip` is the encoder's lookahead.
    pub fn new(out: W, pre_skip: u16) -> Result<Self> {
        let mut writer = PacketWriter::new(out);
        let mut head = Vec::with_capacity(19);
        head.extend_from_slice(b"OpusHead");
        head.push(1);
        head.push(1);
        head.extend_from_slice(&pre_skip.to_le_bytes());
        head.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
        head.extend_from_slice(&0i16.to_le_bytes());
        head.push(0);
        writer.write_packet(head, SERIAL, PacketWriteEndInfo::EndPage, 0)?;
        let vendor = b"wren-media";
        let mut tags = Vec::new();
        tags.extend_from_slice(b"OpusTags");
        tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
        tags.extend_from_slice(vendor);
        tags.extend_from_slice(&0u32.to_le_bytes());
        writer.write_packet(tags, SERIAL, PacketWriteEndInfo::EndPage, 0)?;
        Ok(Self {
            writer,
            samples: 0,
            pending: None,
        })
    }

    /// Appends one 20 ms packet (DTX packets included, they keep the timeline).
    pub fn write(&mut self, packet: &[u8]) -> Result<()> {
        if let Some(previous) = self.pending.replace(packet.to_vec()) {
            self.flush_one(previous, PacketWriteEndInfo::NormalPacket)?;
        }
        Ok(())
    }

    /// Ends the stream and returns the underlying writer.
    pub fn finish(mut self) -> Result<W> {
        if let Some(last) = self.pending.take() {
            self.flush_one(last, PacketWriteEndInfo::EndStream)?;
        }
        Ok(self.writer.into_inner())
    }

    fn flush_one(&mut self, packet: Vec<u8>, end: PacketWriteEndInfo) -> Result<()> {
        self.samples += FRAME_SAMPLES as u64;
        // Close a page every second so players can seek.
        let end = match end {
            PacketWriteEndInfo::NormalPacket
                if self.samples.is_multiple_of(u64::from(SAMPLE_RATE)) =>
            {
                PacketWriteEndInfo::EndPage
            }
            other => other,
        };
        // The granule position counts every decoded sample, pre-skip included, so the
        // playable length is `samples - pre_skip`: the encoder's lookahead is trimmed.
        self.writer
            .write_packet(packet, SERIAL, end, self.samples)?;
        Ok(())
    }
}
