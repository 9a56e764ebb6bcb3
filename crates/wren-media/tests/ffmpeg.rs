//! The encoded streams are standard: ffmpeg decodes the written `.h264` and `.opus` files.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use wren_media::codec::{H264Config, H264Encoder, OggOpusWriter, OpusConfig, OpusEncoder};
use wren_media::frame::{VideoFrame, AUDIO_FRAME, FRAME_SAMPLES};
use wren_media::io::AudioSource;
use wren_media::synth::{read_stamp, Signal, SyntheticAudio, TestPattern};

const WIDTH: usize = 320;
const HEIGHT: usize = 180;

/// Runs ffmpeg to decode `input` to raw output in `format`, returning the bytes.
fn ffmpeg_decode(input: &Path, format: &[&str]) -> Vec<u8> {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(input)
        .args(format)
        .arg("-")
        .output()
        .expect("ffmpeg runs (apt-get install ffmpeg)");
    assert!(
        output.status.success(),
        "ffmpeg failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn annex_b_h264_decodes_with_ffmpeg_to_the_same_frame_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pattern.h264");
    let pattern = TestPattern::new(WIDTH, HEIGHT, 30).expect("pattern");
    let mut encoder = H264Encoder::new(H264Config::for_size(WIDTH, HEIGHT, 30)).expect("encoder");
    let mut stream = Vec::new();
    for n in 0..45 {
        let frame = pattern.render(n).expect("render");
        stream.extend(encoder.encode(&frame).expect("encode").data);
    }
    std::fs::write(&path, stream).expect("write");

    let raw = ffmpeg_decode(&path, &["-f", "rawvideo", "-pix_fmt", "yuv420p"]);
    let frame_len = WIDTH * HEIGHT * 3 / 2;
    assert_eq!(raw.len() % frame_len, 0);
    let numbers: Vec<u32> = raw
        .chunks_exact(frame_len)
        .map(|chunk| {
            let frame = VideoFrame::from_i420(WIDTH, HEIGHT, chunk.to_vec(), Duration::ZERO)
                .expect("frame");
            read_stamp(&frame)
                .expect("stamp readable after ffmpeg")
                .frame_number
        })
        .collect();
    assert_eq!(numbers, (0..45).collect::<Vec<u32>>());
}

#[test]
fn ogg_opus_decodes_with_ffmpeg_to_the_same_duration_and_level() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("speech.opus");
    let mut source = SyntheticAudio::new(Signal::Speech);
    let mut encoder = OpusEncoder::new(OpusConfig::default()).expect("encoder");
    let pre_skip = encoder.lookahead().expect("lookahead");
    let file = std::fs::File::create(&path).expect("create");
    let mut writer = OggOpusWriter::new(file, pre_skip).expect("writer");
    let frames = 150;
    let mut dtx = 0;
    for i in 0..frames {
        let frame = source.read(AUDIO_FRAME * i).expect("read").expect("frame");
        let packet = encoder.encode(&frame).expect("encode");
        dtx += u32::from(packet.is_dtx());
        writer.write(&packet.data).expect("write");
    }
    writer.finish().expect("finish");
    assert!(dtx > 0, "the pauses in the speech signal use DTX");

    let raw = ffmpeg_decode(&path, &["-f", "s16le", "-ac", "1", "-ar", "48000"]);
    let samples: Vec<i16> = raw
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    let expected = frames as usize * FRAME_SAMPLES - usize::from(pre_skip);
    assert_eq!(
        samples.len(),
        expected,
        "3 s of audio less the encoder lookahead"
    );
    let loud = samples.iter().filter(|s| s.unsigned_abs() > 2000).count();
    assert!(
        loud > samples.len() / 10,
        "speech is audible after decoding"
    );
}
