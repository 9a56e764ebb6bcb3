//! Runs the synthetic loopback pipeline on the wall clock and prints its figures, last line:
//! frames sent / received / decoded, audio frames concealed, glass-to-glass p50 and p99.
//!
//! ```text
//! cargo run -p wren-media --release --example pipeline -- --seconds 10 --resolution 720p --loss 0.1 --jitter-ms 30
//! cargo run -p wren-media --release --example pipeline -- --list-devices
//! ```

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use wren_media::device::{list_audio_devices, list_cameras};
use wren_media::pipeline::{
    process_cpu_time, run_loopback, Clock, ImpairmentConfig, LoopbackConfig, SimClock, WallClock,
};

/// Synthetic loopback pipeline: test pattern + speech → H.264 + Opus → impaired link → back.
#[derive(Debug, Parser)]
struct Args {
    /// How long the sources run.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Picture size: 180p, 360p or 720p.
    #[arg(long, default_value = "720p")]
    resolution: String,
    /// Frames per second (15 to 30).
    #[arg(long, default_value_t = 30)]
    fps: u32,
    /// Share of datagrams lost, 0 to 1.
    #[arg(long, default_value_t = 0.0)]
    loss: f64,
    /// Random extra one-way delay, up to this many milliseconds.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Fixed one-way delay in milliseconds.
    #[arg(long, default_value_t = 10)]
    delay_ms: u64,
    /// Share of datagrams held back past later ones, 0 to 1.
    #[arg(long, default_value_t = 0.0)]
    reorder: f64,
    /// One video parity packet per this many fragments (0: no FEC).
    #[arg(long, default_value_t = 4)]
    fec_group: u8,
    /// Upper bound of the video playout delay in milliseconds.
    #[arg(long, default_value_t = 130)]
    max_delay_ms: u64,
    /// Wait this long after a sequence gap before asking for a retransmission.
    #[arg(long, default_value_t = 15)]
    nack_delay_ms: u64,
    /// Random seed of the impairment.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Run on a simulated clock (fast; latency then excludes processing time).
    #[arg(long)]
    simulated: bool,
    /// List audio devices and cameras, then exit.
    #[arg(long)]
    list_devices: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.list_devices {
        return list_devices();
    }
    let (width, height) = match args.resolution.as_str() {
        "180p" => (320, 180),
        "360p" => (640, 360),
        "720p" => (1280, 720),
        other => bail!("unknown resolution {other:?}: use 180p, 360p or 720p"),
    };
    let duration = Duration::from_secs_f64(args.seconds.max(0.0));
    let mut config = LoopbackConfig::new(width, height, args.fps, duration);
    let link = |seed| ImpairmentConfig {
        loss: args.loss,
        reorder: args.reorder,
        jitter: Duration::from_millis(args.jitter_ms),
        delay: Duration::from_millis(args.delay_ms),
        seed,
        ..ImpairmentConfig::default()
    };
    config.video_fec_group = args.fec_group;
    config.video_jitter.max_delay = Duration::from_millis(args.max_delay_ms);
    config.video_jitter.nack_delay = Duration::from_millis(args.nack_delay_ms);
    config.forward = link(args.seed);
    config.reverse = link(args.seed.wrapping_add(1));

    let cpu_before = process_cpu_time();
    let started = Instant::now();
    let report = if args.simulated {
        run(&config, &mut SimClock::new())?
    } else {
        run(&config, &mut WallClock::start())?
    };
    let wall = started.elapsed();
    let s = report.sender;
    let r = report.receiver;
    println!(
        "{}x{}@{} for {:.1} s, loss {:.0}%, jitter {} ms, delay {} ms{}",
        width,
        height,
        args.fps,
        duration.as_secs_f64(),
        args.loss * 100.0,
        args.jitter_ms,
        args.delay_ms,
        if args.simulated {
            " (simulated clock)"
        } else {
            ""
        }
    );
    println!(
        "sent {} datagrams, {:.2} Mbit/s, {} retransmitted, {} fragments rebuilt by FEC; {} keyframes, {} keyframe requests, {} video frames lost",
        s.datagrams,
        s.bytes as f64 * 8.0 / duration.as_secs_f64().max(1e-9) / 1e6,
        s.retransmitted,
        r.video.fec_recovered,
        s.keyframes,
        r.video.keyframe_requests,
        r.video.frames_lost + r.video.frames_skipped,
    );
    println!(
        "video: {} of {} frames shown; rate control: {} reports, video {} kbit/s, audio {} kbit/s, {} frames dropped to fit, {} half-size; {} retransmissions over budget",
        r.video_decoded,
        s.video_frames,
        s.reports,
        s.video_bitrate / 1000,
        s.audio_bitrate / 1000,
        s.video_frames_dropped,
        s.half_size_frames,
        s.retransmit_skipped,
    );
    println!(
        "audio: {} played, {} decoded, {} fec, {} concealed, {} dtx; max a/v skew {:.1} ms",
        r.audio_played,
        r.audio.decoded,
        r.audio.fec_recovered,
        r.audio.concealed,
        r.audio.dtx,
        r.max_av_skew.as_secs_f64() * 1e3
    );
    println!(
        "encode {:.2} ms/frame, decode {:.2} ms/frame",
        s.video_encode_time.as_secs_f64() * 1e3 / s.video_frames.max(1) as f64,
        r.video_decode_time.as_secs_f64() * 1e3 / r.video_decoded.max(1) as f64,
    );
    if let (Some(before), Some(after)) = (cpu_before, process_cpu_time()) {
        println!(
            "cpu: {:.1}% of one core over {:.1} s (send + receive, one process)",
            (after - before).as_secs_f64() / wall.as_secs_f64() * 100.0,
            wall.as_secs_f64()
        );
    }
    println!("{}", report.summary());
    Ok(())
}

fn run(
    config: &LoopbackConfig,
    clock: &mut impl Clock,
) -> anyhow::Result<wren_media::pipeline::LoopbackReport> {
    run_loopback(config, clock).context("loopback pipeline failed")
}

fn list_devices() -> anyhow::Result<()> {
    match list_audio_devices() {
        Ok(devices) if devices.is_empty() => println!("audio devices: none found"),
        Ok(devices) => {
            println!("audio devices:");
            for d in devices {
                let dir = match (d.input, d.output) {
                    (true, true) => "in/out",
                    (true, false) => "in",
                    (false, true) => "out",
                    (false, false) => "-",
                };
                println!("  [{dir}] {} ({})", d.name, d.id);
            }
        }
        Err(err) => println!("audio devices: none usable ({err})"),
    }
    match list_cameras() {
        Ok(cameras) if cameras.is_empty() => println!("cameras: none found"),
        Ok(cameras) => {
            println!("cameras:");
            for c in cameras {
                println!("  [{}] {} ({})", c.index, c.name, c.description);
            }
        }
        Err(err) => println!("cameras: none usable ({err})"),
    }
    Ok(())
}
