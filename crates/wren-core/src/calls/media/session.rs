//! A call's media on this device: the media engine's sender and receiver joined through
//! the relay connection, every datagram sealed with SFrame. Sources are the microphone and
//! camera when this machine has them (the synthetic tone and stamped test pattern when it
//! has not, or when asked for); received pictures are counted and their stamps read, so
//! that a call can report what it sent, received and showed, and how late.

use super::controls::Controls;
use super::controls::{Camera, Microphone, Open, Speaker, Switch};
use super::crypt::{Dropped, FrameOpener, FrameSealer};
use super::devices::MediaDeviceChoice;
use super::relay::{MediaPath, RelayError, Route};
use super::{MediaSources, Wiring};
use crate::calls::key::MediaKey;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use wren_media::codec::{H264Config, OpusConfig};
use wren_media::device::{CameraSource, DeviceChoice, MicrophoneSource, SpeakerSink};
use wren_media::frame::VideoFrame;
use wren_media::io::{AudioSink, AudioSource, NoVideo, VideoSink, VideoSource};
use wren_media::jitter::VideoJitterConfig;
use wren_media::pipeline::{percentile, process_cpu_time, Feedback, Receiver, Sender};
use wren_media::synth::{
    RecordingAudioSink, RecordingVideoSink, Signal, SyntheticAudio, TestPattern,
};
use wren_proto::DeviceId;

/// The picture a call sends: width, height and frames a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Picture {
    width: usize,
    height: usize,
    fps: u32,
}

/// A camera's picture, and the synthetic one's for benchmarks.
const HD: Picture = Picture {
    width: 1280,
    height: 720,
    fps: 30,
};
/// The synthetic picture of tests: light enough for a debug build on a small machine.
const STANDARD: Picture = Picture {
    width: 640,
    height: 360,
    fps: 15,
};

impl MediaSources {
    fn picture(self) -> Picture {
        match self {
            MediaSources::Synthetic => STANDARD,
            MediaSources::Devices | MediaSources::SyntheticHd => HD,
        }
    }
}
/// The longest the loop sleeps when nothing is due.
const MAX_WAIT: Duration = Duration::from_millis(5);
/// The first byte of a sealed datagram: what it carries.
const MEDIA: u8 = 0;
const FEEDBACK: u8 = 1;

/// What a call's media did on this device.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaStats {
    /// Sources were synthetic (no device, or asked for).
    pub synthetic: bool,
    /// How media reached the relay last: `"quic"` or `"websocket"`.
    pub transport: &'static str,
    /// Times the path to the relay was lost or renewed and joined again, the call going on.
    pub rejoins: u64,
    /// Datagrams sent to the relay.
    pub datagrams_sent: u64,
    /// Datagrams received from the relay.
    pub datagrams_received: u64,
    /// Received datagrams dropped: not sealed with the call's key.
    pub dropped_forged: u64,
    /// Received datagrams dropped: seen before.
    pub dropped_replayed: u64,
    /// Audio frames encoded and sent.
    pub audio_frames_sent: u64,
    /// Video frames encoded and sent.
    pub video_frames_sent: u64,
    /// Video frames left out to fit a narrow path (the rate controller).
    pub video_frames_dropped: u64,
    /// Video frames sent at half width and height (a narrow path).
    pub video_frames_half_size: u64,
    /// The video bitrate aimed at when the call ended, in kbit/s.
    pub video_kbps: u32,
    /// Audio frames played (decoded or concealed).
    pub audio_frames_played: u64,
    /// Video frames decoded and shown.
    pub video_frames_shown: u64,
    /// The stamped frame numbers shown only ever went up.
    pub video_in_order: bool,
    /// The stamped number of the last frame shown (the other side counts from 0): how
    /// close to the end of the call the picture kept up.
    pub last_frame_shown: Option<u32>,
    /// Capture on the other device to shown here, in ms (both clocks start when the call
    /// connects, so this includes how far apart the two starts were): median.
    pub glass_to_glass_p50_ms: Option<f64>,
    /// The same, 99th percentile.
    pub glass_to_glass_p99_ms: Option<f64>,
    /// CPU time this process used while the media ran, in seconds (where the system
    /// says).
    pub cpu_seconds: Option<f64>,
    /// How long the media ran, in seconds.
    pub seconds: f64,
}

/// The other side's latest picture, as the app draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemotePicture {
    /// Width in pixels (even).
    pub width: u16,
    /// Height in pixels (even).
    pub height: u16,
    /// The I420 planes: Y (width × height), then U and V (a quarter each).
    pub i420: Vec<u8>,
}

impl RemotePicture {
    /// The bytes the app receives: width and height (little-endian u16), then the planes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.i420.len());
        out.extend_from_slice(&self.width.to_le_bytes());
        out.extend_from_slice(&self.height.to_le_bytes());
        out.extend_from_slice(&self.i420);
        out
    }
}

/// Where the latest picture of the call goes (`None`: no picture, the call ended).
pub type PictureFeed = watch::Sender<Option<Arc<RemotePicture>>>;

/// Records what is shown (for the figures) and hands each picture to the app.
struct TapVideoSink {
    recording: RecordingVideoSink,
    feed: PictureFeed,
}

impl VideoSink for TapVideoSink {
    fn show(&mut self, frame: &VideoFrame, now: Duration) -> wren_media::Result<()> {
        self.recording.show(frame, now)?;
        if self.feed.receiver_count() > 0 {
            let (Ok(width), Ok(height)) =
                (u16::try_from(frame.width()), u16::try_from(frame.height()))
            else {
                return Ok(());
            };
            let mut i420 = Vec::with_capacity(frame.y().len() + frame.u().len() + frame.v().len());
            i420.extend_from_slice(frame.y());
            i420.extend_from_slice(frame.u());
            i420.extend_from_slice(frame.v());
            self.feed.send_replace(Some(Arc::new(RemotePicture {
                width,
                height,
                i420,
            })));
        }
        Ok(())
    }
}

/// Why media stopped early.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The media engine failed (a codec, a device).
    #[error("media engine: {0}")]
    Engine(#[from] wren_media::MediaError),
    /// SFrame could not seal.
    #[error("cannot encrypt media: {0}")]
    Seal(String),
}

/// What a media session needs besides its connection.
pub(crate) struct SessionSetup {
    /// The call's media key.
    pub(crate) key: MediaKey,
    /// This device (its SFrame Key ID).
    pub(crate) device: DeviceId,
    /// A video call.
    pub(crate) video: bool,
    /// Where sound and pictures come from.
    pub(crate) sources: MediaSources,
    /// When the call connected here: the session's clock starts then.
    pub(crate) started: Instant,
    /// Pictures out, switches and network changes in.
    pub(crate) wiring: Wiring,
    /// How to join the relay again.
    pub(crate) route: Route,
}

/// A running media session; [`MediaSession::stop`] ends it and returns what it did.
pub(crate) struct MediaSession {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<MediaStats, MediaError>>,
}

impl MediaSession {
    /// Starts sending and receiving on `path`.
    pub(crate) fn start(path: MediaPath, setup: SessionSetup) -> MediaSession {
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(run(path, setup, stopped));
        MediaSession { stop, task }
    }

    /// Ends the session and closes its connection; what it did.
    pub(crate) async fn stop(self) -> Result<MediaStats, MediaError> {
        let _ = self.stop.send(());
        self.task
            .await
            .unwrap_or_else(|e| Err(MediaError::Seal(format!("the media task failed: {e}"))))
    }
}

/// A call's sources and speaker, switchable to other devices unless synthetic.
struct Devices {
    microphone: Microphone,
    camera: Camera,
    speaker: Speaker,
    synthetic: bool,
}

/// The chosen microphone; silence without one.
fn open_microphone(choice: &MediaDeviceChoice) -> Option<Box<dyn AudioSource>> {
    let device = choice
        .microphone
        .clone()
        .map_or(DeviceChoice::Default, DeviceChoice::Id);
    match MicrophoneSource::open(device) {
        Ok(mic) => Some(Box::new(mic)),
        Err(e) => {
            tracing::info!(error = %e, "no microphone: the call sends silence");
            None
        }
    }
}

/// The chosen camera; none without one.
fn open_camera(choice: &MediaDeviceChoice) -> Option<Box<dyn VideoSource>> {
    let index = choice.camera.as_deref().and_then(|id| id.parse().ok());
    match CameraSource::open(index, HD.width as u32, HD.height as u32, HD.fps) {
        Ok(camera) => Some(Box::new(camera)),
        Err(e) => {
            tracing::info!(error = %e, "no camera: the call sends no picture");
            None
        }
    }
}

/// The chosen speaker; counted, not played, without one.
fn open_speaker(choice: &MediaDeviceChoice) -> Option<Box<dyn AudioSink>> {
    let device = choice
        .speaker
        .clone()
        .map_or(DeviceChoice::Default, DeviceChoice::Id);
    match SpeakerSink::open(device) {
        Ok(speaker) => Some(Box::new(speaker)),
        Err(e) => {
            tracing::info!(error = %e, "no speaker: audio is counted, not played");
            None
        }
    }
}

/// Opens another device each time the user picks one.
fn switch<T>(chosen: &watch::Receiver<MediaDeviceChoice>, open: Open<T>) -> Option<Switch<T>> {
    let mut devices = chosen.clone();
    devices.mark_unchanged();
    Some(Switch { devices, open })
}

/// The chosen microphone, camera and speaker; without them, silence and no picture (the
/// synthetic voice and test pattern only when `sources` asks for them).
fn devices(
    video: bool,
    sources: MediaSources,
    controls: &watch::Receiver<Controls>,
    chosen: &watch::Receiver<MediaDeviceChoice>,
) -> Result<Devices, MediaError> {
    if sources != MediaSources::Devices {
        let picture = sources.picture();
        let camera: Box<dyn VideoSource> = if video {
            Box::new(TestPattern::new(
                picture.width,
                picture.height,
                picture.fps,
            )?)
        } else {
            Box::new(NoVideo)
        };
        return Ok(Devices {
            microphone: Microphone {
                inner: Box::new(SyntheticAudio::new(Signal::Speech)),
                controls: controls.clone(),
                switch: None,
            },
            camera: Camera {
                inner: camera,
                controls: controls.clone(),
                switch: None,
            },
            speaker: Speaker {
                inner: Box::new(RecordingAudioSink::default()),
                switch: None,
            },
            synthetic: true,
        });
    }
    let choice = chosen.borrow().clone();
    let camera: Box<dyn VideoSource> = if video {
        open_camera(&choice).unwrap_or_else(|| Box::new(NoVideo))
    } else {
        Box::new(NoVideo)
    };
    Ok(Devices {
        microphone: Microphone {
            inner: open_microphone(&choice)
                .unwrap_or_else(|| Box::new(SyntheticAudio::new(Signal::Silence))),
            controls: controls.clone(),
            switch: switch(chosen, Box::new(open_microphone)),
        },
        camera: Camera {
            inner: camera,
            controls: controls.clone(),
            switch: if video {
                switch(chosen, Box::new(open_camera))
            } else {
                None
            },
        },
        speaker: Speaker {
            inner: open_speaker(&choice).unwrap_or_else(|| Box::new(RecordingAudioSink::default())),
            switch: switch(chosen, Box::new(open_speaker)),
        },
        synthetic: false,
    })
}

/// The next datagram on the path; never, while there is none.
async fn receive(path: &mut Option<MediaPath>) -> Option<bytes::Bytes> {
    match path {
        Some(path) => path.recv().await,
        None => std::future::pending().await,
    }
}

/// Returns when the network changed; never once nobody can say so.
async fn network_changed(renew: &mut Option<watch::Receiver<u64>>) {
    if let Some(receiver) = renew {
        if receiver.changed().await.is_ok() {
            return;
        }
    }
    *renew = None;
    std::future::pending().await
}

/// The path a rejoin found; never, while none is under way.
async fn rejoined(
    rejoining: &mut Option<JoinHandle<Result<MediaPath, RelayError>>>,
) -> Result<MediaPath, RelayError> {
    match rejoining {
        Some(task) => task
            .await
            .unwrap_or_else(|e| Err(RelayError::Network(format!("the rejoin failed: {e}")))),
        None => std::future::pending().await,
    }
}

async fn run(
    path: MediaPath,
    setup: SessionSetup,
    mut stopped: oneshot::Receiver<()>,
) -> Result<MediaStats, MediaError> {
    let SessionSetup {
        key,
        device,
        video,
        sources,
        started,
        wiring:
            Wiring {
                feed,
                controls,
                renew,
                devices: devices_chosen,
            },
        route,
    } = setup;
    let mut renew = Some(renew);
    let Devices {
        microphone,
        camera,
        speaker,
        synthetic,
    } = devices(video, sources, &controls, &devices_chosen)?;
    let picture = sources.picture();
    let mut sender = Sender::new(
        microphone,
        camera,
        OpusConfig::default(),
        H264Config::for_size(picture.width, picture.height, picture.fps),
    )?
    .with_video_fec(4);
    let sink = TapVideoSink {
        recording: RecordingVideoSink::default(),
        feed,
    };
    let mut receiver = Receiver::new(speaker, sink, VideoJitterConfig::default())?;
    let mut sealer = FrameSealer::new(&key, device).map_err(|e| MediaError::Seal(e.to_string()))?;
    let mut opener = FrameOpener::new(&key);
    let cpu_before = process_cpu_time();
    let mut stats = MediaStats {
        synthetic,
        transport: path.kind(),
        ..MediaStats::default()
    };
    let mut path = Some(path);
    let mut rejoining: Option<JoinHandle<Result<MediaPath, RelayError>>> = None;
    let mut send = |path: &Option<MediaPath>,
                    kind: u8,
                    bytes: &[u8],
                    stats: &mut MediaStats|
     -> Result<(), MediaError> {
        let mut plain = Vec::with_capacity(1 + bytes.len());
        plain.push(kind);
        plain.extend_from_slice(bytes);
        let sealed = sealer
            .seal(&plain)
            .map_err(|e| MediaError::Seal(e.to_string()))?;
        // A datagram the path cannot take now (or while there is no path) is lost, like
        // any other.
        if path.as_ref().is_some_and(|path| path.send(sealed)) {
            stats.datagrams_sent += 1;
        }
        Ok(())
    };
    loop {
        let now = started.elapsed();
        for datagram in sender.poll(now)? {
            send(&path, MEDIA, &datagram, &mut stats)?;
        }
        for feedback in receiver.poll(now)? {
            send(&path, FEEDBACK, &feedback.to_bytes(), &mut stats)?;
        }
        let due = [sender.poll_timeout(), receiver.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
            .map_or(MAX_WAIT, |at| at.saturating_sub(now).min(MAX_WAIT));
        tokio::select! {
            _ = &mut stopped => break,
            () = network_changed(&mut renew), if rejoining.is_none() => {
                tracing::info!("the network changed: joining the media relay afresh");
                if let Some(old) = path.take() {
                    old.close();
                }
                rejoining = Some(tokio::spawn(route.clone().rejoin()));
            }
            joined = rejoined(&mut rejoining) => {
                rejoining = None;
                match joined {
                    Ok(joined) => {
                        tracing::info!(transport = joined.kind(), "back on the media relay");
                        stats.rejoins += 1;
                        stats.transport = joined.kind();
                        path = Some(joined);
                        // The other side lost what was sent meanwhile: start it afresh.
                        sender.handle_feedback(Feedback::KeyframeRequest)?;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the media relay refused to take the call back");
                        break;
                    }
                }
            }
            received = receive(&mut path) => {
                let Some(bytes) = received else {
                    tracing::info!("the path to the media relay was lost: joining again");
                    path = None;
                    rejoining = Some(tokio::spawn(route.clone().rejoin()));
                    continue;
                };
                stats.datagrams_received += 1;
                match opener.open(&bytes) {
                    Ok((_, plain)) => match plain.split_first() {
                        Some((&MEDIA, packet)) => receiver.handle_datagram(packet, started.elapsed()),
                        Some((&FEEDBACK, feedback)) => {
                            if let Some(feedback) = Feedback::parse(feedback) {
                                for again in sender.handle_feedback(feedback)? {
                                    send(&path, MEDIA, &again, &mut stats)?;
                                }
                            }
                        }
                        _ => stats.dropped_forged += 1,
                    },
                    Err(Dropped::Forged) => stats.dropped_forged += 1,
                    Err(Dropped::Replayed) => stats.dropped_replayed += 1,
                }
            }
            () = tokio::time::sleep(due) => {}
        }
    }
    if let Some(path) = path {
        path.close();
    }
    stats.seconds = started.elapsed().as_secs_f64();
    stats.cpu_seconds = process_cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before).as_secs_f64());
    if let Some(rejoining) = rejoining {
        rejoining.abort();
    }
    let sent = sender.stats();
    stats.audio_frames_sent = sent.audio_frames;
    stats.video_frames_sent = sent.video_frames;
    stats.video_frames_dropped = sent.video_frames_dropped;
    stats.video_frames_half_size = sent.half_size_frames;
    stats.video_kbps = sent.video_bitrate / 1000;
    let received = receiver.stats();
    stats.audio_frames_played = received.audio_played;
    let (_, sink) = receiver.into_sinks();
    sink.feed.send_replace(None);
    let shown = sink.recording;
    stats.video_frames_shown = shown.shown.len() as u64;
    let stamps: Vec<_> = shown
        .shown
        .iter()
        .filter_map(|s| s.stamp.map(|st| (s.at, st)))
        .collect();
    stats.video_in_order = stamps
        .windows(2)
        .all(|w| w[0].1.frame_number < w[1].1.frame_number);
    stats.last_frame_shown = stamps.last().map(|(_, stamp)| stamp.frame_number);
    let mut delays: Vec<Duration> = stamps
        .iter()
        .map(|(at, stamp)| at.saturating_sub(stamp.capture_time))
        .collect();
    delays.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    stats.glass_to_glass_p50_ms = percentile(&delays, 50.0).map(ms);
    stats.glass_to_glass_p99_ms = percentile(&delays, 99.0).map(ms);
    Ok(stats)
}
