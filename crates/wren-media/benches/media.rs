//! Media engine figures, each beside a baseline measured in the same run.
//!
//! ```text
//! cargo bench -p wren-media --bench media
//! ```
//!
//! Everything runs on one thread (the encoder is configured single-threaded).

use std::hint::black_box;
use std::time::{Duration, Instant};

use wren_media::codec::{
    H264Config, H264Decoder, H264Encoder, OpusConfig, OpusDecoder, OpusEncoder,
};
use wren_media::device::Resampler;
use wren_media::frame::{VideoFrame, AUDIO_FRAME};
use wren_media::io::AudioSource;
use wren_media::pipeline::{
    percentile, process_cpu_time, run_loopback, ImpairmentConfig, LoopbackConfig, WallClock,
};
use wren_media::synth::{Signal, SyntheticAudio, TestPattern};

const FRAMES: u32 = 150;

fn main() -> Result<(), wren_media::MediaError> {
    for (name, width, height) in [("720p", 1280, 720), ("360p", 640, 360)] {
        video(name, width, height)?;
    }
    opus()?;
    resample()?;
    for loss in [0.0, 0.1] {
        pipeline(loss)?;
    }
    Ok(())
}

fn per_second(count: u32, elapsed: Duration) -> f64 {
    f64::from(count) / elapsed.as_secs_f64()
}

fn video(name: &str, width: usize, height: usize) -> Result<(), wren_media::MediaError> {
    let pattern = TestPattern::new(width, height, 30)?;
    let frames: Vec<VideoFrame> = (0..FRAMES)
        .map(|n| pattern.render(n))
        .collect::<Result<_, _>>()?;

    let started = Instant::now();
    let mut copies = 0u32;
    while started.elapsed() < Duration::from_millis(500) {
        for frame in &frames {
            black_box(frame.data().to_vec());
            copies += 1;
        }
    }
    let copy_fps = per_second(copies, started.elapsed());

    let mut encoder = H264Encoder::new(H264Config::for_size(width, height, 30))?;
    let started = Instant::now();
    let mut encoded = Vec::with_capacity(frames.len());
    for frame in &frames {
        encoded.push(encoder.encode(frame)?);
    }
    let encode_fps = per_second(FRAMES, started.elapsed());
    let bytes: usize = encoded.iter().map(|e| e.data.len()).sum();

    let mut decoder = H264Decoder::new()?;
    let started = Instant::now();
    for e in &encoded {
        black_box(decoder.decode(&e.data, e.capture_time)?);
    }
    let decode_fps = per_second(FRAMES, started.elapsed());
    let frame_mb = frames[0].data().len() as f64 / 1e6;
    println!(
        "h264 {name}: encode {encode_fps:.0} fps, decode {decode_fps:.0} fps, {:.2} Mbit/s at 30 fps | baseline: I420 copy {copy_fps:.0} fps ({:.1} GB/s)",
        bytes as f64 * 8.0 * 30.0 / f64::from(FRAMES) / 1e6,
        copy_fps * frame_mb / 1e3,
    );
    Ok(())
}

fn opus() -> Result<(), wren_media::MediaError> {
    let mut source = SyntheticAudio::new(Signal::Tone(440.0));
    let frames: Vec<_> = (0..500)
        .filter_map(|i| source.read(AUDIO_FRAME * i).ok().flatten())
        .collect();
    let started = Instant::now();
    for frame in &frames {
        black_box(frame.samples.to_vec());
    }
    let copy_us = started.elapsed().as_secs_f64() * 1e6 / frames.len() as f64;
    let mut encoder = OpusEncoder::new(OpusConfig::default())?;
    let mut decoder = OpusDecoder::new()?;
    let started = Instant::now();
    for frame in &frames {
        let packet = encoder.encode(frame)?;
        black_box(decoder.decode(&packet.data, frame.capture_time)?);
    }
    let codec_us = started.elapsed().as_secs_f64() * 1e6 / frames.len() as f64;
    println!(
        "opus 20 ms mono 32 kbit/s: encode + decode {codec_us:.1} us per frame ({:.2}% of real time) | baseline: frame copy {copy_us:.2} us",
        codec_us / 20_000.0 * 100.0
    );
    Ok(())
}

fn resample() -> Result<(), wren_media::MediaError> {
    // Five seconds of a 44.1 kHz microphone, in 20 ms callbacks.
    let input: Vec<f32> = (0..44_100 * 5)
        .map(|n| (n as f32 * 2.0 * std::f32::consts::PI * 440.0 / 44_100.0).sin() * 0.5)
        .collect();
    let chunks: Vec<&[f32]> = input.chunks(882).collect();
    let mut out = Vec::new();
    let started = Instant::now();
    for chunk in &chunks {
        out.clear();
        out.extend_from_slice(chunk);
        black_box(&out);
    }
    let copy_us = started.elapsed().as_secs_f64() * 1e6 / chunks.len() as f64;
    let mut resampler = Resampler::new(44_100, 48_000)?;
    let started = Instant::now();
    for chunk in &chunks {
        out.clear();
        resampler.process(chunk, &mut out)?;
        black_box(&out);
    }
    let resample_us = started.elapsed().as_secs_f64() * 1e6 / chunks.len() as f64;
    println!(
        "resample 44.1 -> 48 kHz mono (rubato sinc, 128 taps): {resample_us:.1} us per 20 ms ({:.2}% of real time) | baseline: chunk copy {copy_us:.2} us",
        resample_us / 20_000.0 * 100.0
    );
    Ok(())
}

fn pipeline(loss: f64) -> Result<(), wren_media::MediaError> {
    let mut config = LoopbackConfig::new(1280, 720, 30, Duration::from_secs(5));
    let link = |seed| ImpairmentConfig {
        loss,
        jitter: Duration::from_millis(if loss > 0.0 { 30 } else { 0 }),
        delay: Duration::from_millis(10),
        seed,
        ..ImpairmentConfig::default()
    };
    config.forward = link(3);
    config.reverse = link(4);
    let cpu_before = process_cpu_time();
    let started = Instant::now();
    let report = run_loopback(&config, &mut WallClock::start())?;
    let wall = started.elapsed();
    let mut latency = report.glass_to_glass();
    latency.sort_unstable();
    let ms = |p| percentile(&latency, p).map_or(f64::NAN, |d| d.as_secs_f64() * 1e3);
    let cpu = match (cpu_before, process_cpu_time()) {
        (Some(a), Some(b)) => format!("{:.0}%", (b - a).as_secs_f64() / wall.as_secs_f64() * 100.0),
        _ => "n/a".to_owned(),
    };
    println!(
        "loopback 720p30 {:.0}% loss{}: glass-to-glass p50 {:.1} ms p99 {:.1} ms, {} of {} frames shown, cpu {cpu} of one core (send + receive) | baseline: one-way network delay 10 ms",
        loss * 100.0,
        if loss > 0.0 { " + 30 ms jitter" } else { "" },
        ms(0.5),
        ms(0.99),
        report.shown.len(),
        report.sender.video_frames,
    );
    Ok(())
}
