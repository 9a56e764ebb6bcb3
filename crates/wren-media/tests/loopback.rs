//! The synthetic loopback pipeline on a simulated clock.

use std::time::Duration;

use wren_media::jitter::VideoJitterConfig;
use wren_media::pipeline::{
    run_loopback, ImpairmentConfig, LoopbackConfig, LoopbackReport, SimClock,
};

const MS: Duration = Duration::from_millis(1);

fn lossy(seed: u64) -> ImpairmentConfig {
    ImpairmentConfig {
        loss: 0.1,
        reorder: 0.02,
        jitter: MS * 30,
        delay: MS * 20,
        seed,
        ..ImpairmentConfig::default()
    }
}

#[test]
fn clean_network_shows_every_frame_in_order_with_the_right_number() {
    let config = LoopbackConfig::new(320, 180, 30, Duration::from_secs(3));
    let report = run_loopback(&config, &mut SimClock::new()).expect("run");
    let numbers = report.shown_frame_numbers();
    assert_eq!(report.sender.video_frames, 90);
    assert_eq!(
        numbers,
        (0..90).collect::<Vec<u32>>(),
        "{}",
        report.summary()
    );
    assert_eq!(
        report.shown.len(),
        90,
        "every picture carries a readable stamp"
    );
    let latency = report.glass_to_glass();
    assert!(latency.iter().all(|&l| l < MS * 60), "{}", report.summary());
    assert_eq!(report.receiver.audio.concealed, 0);
    assert!(
        report.receiver.max_av_skew <= MS * 20,
        "{:?}",
        report.receiver.max_av_skew
    );
}

#[test]
fn ten_percent_loss_with_jitter_keeps_audio_continuous_and_video_in_order() {
    let mut config = LoopbackConfig::new(320, 180, 30, Duration::from_secs(4));
    config.forward = lossy(7);
    config.reverse = lossy(8);
    let report = run_loopback(&config, &mut SimClock::new()).expect("run");
    let audio = report.receiver.audio;
    assert!(report.forward.dropped > 0);
    assert!(audio.concealed + audio.fec_recovered > 0, "{audio:?}");
    let gap = report
        .played
        .windows(2)
        .map(|w| w[1].at - w[0].at)
        .max()
        .expect("audio played");
    assert!(gap <= MS * 60, "audio gap of {gap:?}");
    // 4 s of 20 ms frames, give or take the start-up and the buffer adapting.
    assert!(
        report.played.len() >= 190,
        "{} frames played",
        report.played.len()
    );
    let numbers = report.shown_frame_numbers();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "out of order: {numbers:?}"
    );
    // Parity and retransmission repair most losses; the rest freeze until a keyframe.
    assert!(numbers.len() >= 100, "{}", report.summary());
    assert!(report.sender.retransmitted > 0);
}

#[test]
fn video_recovers_within_one_keyframe_interval_after_a_keyframe_request() {
    let mut config = LoopbackConfig::new(320, 180, 30, Duration::from_secs(6));
    config.forward = lossy(11);
    config.reverse = lossy(12);
    let interval = Duration::from_secs(2);
    config.video.keyframe_interval = 60;
    // Without retransmission or parity every lost packet breaks the picture, so recovery
    // must come from keyframe requests.
    config.video_jitter = VideoJitterConfig {
        max_nacks: 0,
        ..VideoJitterConfig::default()
    };
    config.video_fec_group = 0;
    let report = run_loopback(&config, &mut SimClock::new()).expect("run");
    let video = report.receiver.video;
    assert!(
        video.frames_lost > 0 && video.keyframe_requests > 0,
        "{video:?}"
    );
    let periodic = 6 / 2;
    assert!(
        report.sender.keyframes > periodic,
        "requests produced extra keyframes: {}",
        report.sender.keyframes
    );
    let freeze = report
        .shown
        .windows(2)
        .map(|w| w[1].at - w[0].at)
        .max()
        .expect("frames shown");
    assert!(freeze < interval, "video froze for {freeze:?}");
    let numbers = report.shown_frame_numbers();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]));
}

/// A 150 kbit/s bottleneck with a 200 ms queue, where the picture alone was made for 173.
fn bottleneck(rate_control: bool) -> LoopbackReport {
    let mut config = LoopbackConfig::new(320, 180, 30, Duration::from_secs(12));
    config.forward.bandwidth_bps = Some(150_000);
    config.rate_control = rate_control;
    run_loopback(&config, &mut SimClock::new()).expect("run")
}

/// Pictures shown from the last 6 s of a 12 s call.
fn shown_late(report: &LoopbackReport) -> usize {
    report
        .shown
        .iter()
        .filter(|s| s.stamp.is_some_and(|st| st.frame_number >= 180))
        .count()
}

#[test]
fn a_narrow_path_brings_the_bitrate_under_it_and_keeps_sound_and_picture_going() {
    let adapted = bottleneck(true);
    let fixed = bottleneck(false);
    let both = format!(
        "adapted: {} {:?}\nfixed: {} {:?}",
        adapted.summary(),
        adapted.sender,
        fixed.summary(),
        fixed.sender
    );
    assert!(adapted.sender.reports >= 20, "{both}");
    assert!(
        adapted.sender.video_bitrate < 120_000,
        "video under the path's 150 kbit/s with audio beside it: {both}"
    );
    assert_eq!(
        adapted.sender.audio_bitrate, 32_000,
        "audio kept whole: {both}"
    );
    // Without adapting, the queue overflows, the sound breaks up and the picture
    // freezes; adapted, fewer frames go out and nearly all of them arrive.
    assert!(
        fixed.forward.overflowed > 10 * adapted.forward.overflowed.max(1),
        "overflow: {both}"
    );
    assert!(
        3 * adapted.receiver.audio.concealed < fixed.receiver.audio.concealed,
        "concealed audio: {both}"
    );
    assert!(adapted.sender.video_frames_dropped > 0, "{both}");
    assert!(
        shown_late(&adapted) >= 45,
        "a moving picture (7 frames a second or more) at the end: {both}"
    );
    assert!(3 * shown_late(&fixed) < shown_late(&adapted), "{both}");
}
