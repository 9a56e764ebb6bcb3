//! The sender's rate controller: from the receiver's reports (loss, delay growth) it sets
//! the video bitrate, the picture size and the Opus bitrate.
//!
//! The rules follow the loss- and delay-based halves of Google's congestion control
//! (draft-ietf-rmcat-gcc), simplified: a queue filling on the path (the least delay
//! growing over two reports in a row: one burst, such as a keyframe, fills a queue for
//! one report and drains it by the next) or heavy smoothed loss cuts the rate
//! multiplicatively; a clean path raises it by 8% a report up
//! to the nominal rate; loss between 2% and 20% holds it, since forward error correction
//! and retransmission cover random loss of that size. Audio comes first: video takes the
//! cuts down to its floor, then the picture halves, and only then does Opus drop, never
//! below 16 kbit/s.

use crate::pipeline::feedback::ReceiverReport;

/// The least video bitrate, in bits per second.
const MIN_VIDEO: u32 = 50_000;
/// Opus at its best and at its least, in bits per second.
const FULL_AUDIO: u32 = 32_000;
const MIN_AUDIO: u32 = 16_000;
/// Delay growth per report that means a queue is filling, in ms.
const OVERUSE_MS: i16 = 20;
/// Delay growth per report below which the path is clean, in ms.
const CLEAN_MS: i16 = 5;
/// Smoothed loss above which the rate is cut, and below which it may rise.
const HEAVY_LOSS: f64 = 0.2;
const LIGHT_LOSS: f64 = 0.02;
/// Reports in a row with room for the full picture before the picture grows back.
const GROW_AFTER: u32 = 6;

/// What the sender should send at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    /// Video bitrate, in bits per second.
    pub video_bps: u32,
    /// Opus bitrate, in bits per second.
    pub audio_bps: u32,
    /// Pictures go out at half their width and height.
    pub half_size: bool,
}

/// Turns receiver reports into [`RateDecision`]s.
#[derive(Debug)]
pub struct RateController {
    /// The most video may take (the encoder's nominal bitrate).
    max_video: u32,
    /// Video and audio together.
    target: u32,
    smoothed_loss: f64,
    half_size: bool,
    roomy_reports: u32,
    /// The delay growth of the report before.
    previous_growth: i16,
}

impl RateController {
    /// A controller that starts at, and never goes above, `max_video` for the picture.
    pub fn new(max_video: u32) -> Self {
        let max_video = max_video.max(MIN_VIDEO);
        Self {
            max_video,
            target: max_video + FULL_AUDIO,
            smoothed_loss: 0.0,
            half_size: false,
            roomy_reports: 0,
            previous_growth: 0,
        }
    }

    /// The share of datagrams lost lately (smoothed over reports), 0 to 1.
    pub fn smoothed_loss(&self) -> f64 {
        self.smoothed_loss
    }

    /// The most video may take: the picture's nominal bitrate.
    pub fn max_video(&self) -> u32 {
        self.max_video
    }

    /// What to send at now.
    pub fn decision(&self) -> RateDecision {
        let audio = if self.target >= FULL_AUDIO + MIN_VIDEO {
            FULL_AUDIO
        } else {
            self.target.saturating_sub(MIN_VIDEO).max(MIN_AUDIO)
        };
        RateDecision {
            video_bps: self.target.saturating_sub(audio).max(MIN_VIDEO),
            audio_bps: audio,
            half_size: self.half_size,
        }
    }

    /// Acts on a report; the new decision.
    pub fn on_report(&mut self, report: &ReceiverReport) -> RateDecision {
        self.smoothed_loss = 0.7 * self.smoothed_loss + 0.3 * report.loss();
        let least = MIN_VIDEO + MIN_AUDIO;
        let most = self.max_video + FULL_AUDIO;
        let target = f64::from(self.target);
        let growth = report.delay_growth_ms;
        let overuse = growth > OVERUSE_MS && self.previous_growth > 0;
        self.previous_growth = growth;
        let next = if overuse {
            target * 0.85
        } else if self.smoothed_loss > HEAVY_LOSS {
            target * (1.0 - 0.5 * self.smoothed_loss)
        } else if self.smoothed_loss < LIGHT_LOSS && growth < CLEAN_MS {
            target * 1.08 + 1_000.0
        } else {
            target
        };
        self.target = (next as u32).clamp(least, most);
        let video = self.decision().video_bps;
        if video < self.max_video / 3 {
            self.half_size = true;
            self.roomy_reports = 0;
        } else if self.half_size && video >= self.max_video / 2 {
            self.roomy_reports += 1;
            if self.roomy_reports >= GROW_AFTER {
                self.half_size = false;
                self.roomy_reports = 0;
            }
        } else {
            self.roomy_reports = 0;
        }
        self.decision()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(received: u32, lost: u32, delay_growth_ms: i16) -> ReceiverReport {
        ReceiverReport {
            received,
            lost,
            delay_growth_ms,
        }
    }

    #[test]
    fn a_filling_queue_cuts_video_first_then_the_picture_then_audio() {
        let mut rate = RateController::new(700_000);
        assert_eq!(
            rate.decision(),
            RateDecision {
                video_bps: 700_000,
                audio_bps: 32_000,
                half_size: false
            }
        );
        let first = rate.on_report(&report(100, 0, 40));
        assert_eq!(first.video_bps, 700_000, "once may be a burst");
        let first = rate.on_report(&report(100, 0, 40));
        assert!(first.video_bps < 700_000 && first.audio_bps == 32_000);
        let mut decisions = vec![first];
        for _ in 0..30 {
            decisions.push(rate.on_report(&report(100, 0, 40)));
        }
        let halved = decisions.iter().position(|d| d.half_size).expect("halves");
        assert!(decisions[halved].video_bps < 700_000 / 3);
        assert!(decisions[..halved].iter().all(|d| d.audio_bps == 32_000));
        let last = decisions.last().expect("decisions");
        assert_eq!((last.video_bps, last.audio_bps), (MIN_VIDEO, MIN_AUDIO));
    }

    #[test]
    fn one_burst_is_not_a_filling_queue() {
        let mut rate = RateController::new(700_000);
        rate.on_report(&report(100, 0, 60));
        rate.on_report(&report(100, 0, -60));
        rate.on_report(&report(100, 0, 45));
        assert_eq!(rate.decision().video_bps, 700_000);
        rate.on_report(&report(100, 0, 30));
        assert!(rate.decision().video_bps < 700_000, "twice in a row");
    }

    #[test]
    fn a_clean_path_climbs_back_and_the_picture_grows_after_a_while() {
        let mut rate = RateController::new(700_000);
        for _ in 0..20 {
            rate.on_report(&report(100, 0, 40));
        }
        assert!(rate.decision().half_size);
        let mut climbed = Vec::new();
        for _ in 0..60 {
            climbed.push(rate.on_report(&report(100, 0, 0)));
        }
        let roomy = climbed
            .iter()
            .position(|d| d.video_bps >= 350_000)
            .expect("climbs past half");
        assert!(climbed[roomy].half_size, "waits");
        assert!(
            !climbed[roomy + GROW_AFTER as usize].half_size,
            "then grows"
        );
        assert_eq!(climbed.last().map(|d| d.video_bps), Some(700_000));
    }

    #[test]
    fn random_loss_of_ten_percent_holds_the_rate_heavy_loss_cuts_it() {
        let mut rate = RateController::new(700_000);
        for _ in 0..40 {
            rate.on_report(&report(90, 10, 2));
        }
        assert_eq!(rate.decision().video_bps, 700_000, "held");
        for _ in 0..10 {
            rate.on_report(&report(70, 30, 2));
        }
        assert!(rate.decision().video_bps < 400_000, "{:?}", rate.decision());
    }
}
