//! Audio devices through cpal: listing, choosing, and the microphone source.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample, StreamConfig, SupportedStreamConfig};

use crate::device::convert::Resampler;
use crate::error::{MediaError, Result};
use crate::frame::{AudioFrame, FRAME_SAMPLES, SAMPLE_RATE};
use crate::io::AudioSource;

/// Most audio buffered between the device callback and the reader (1 s).
const MAX_BUFFERED: usize = SAMPLE_RATE as usize;

/// Which audio device to use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    /// The system default, followed when it changes or disappears.
    #[default]
    Default,
    /// A specific device by the id [`list_audio_devices`] reports.
    Id(String),
}

/// One audio device as the host reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioDeviceInfo {
    /// Stable id to pass in [`DeviceChoice::Id`].
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Can capture.
    pub input: bool,
    /// Can play.
    pub output: bool,
}

/// Lists the audio devices of the default host.
pub fn list_audio_devices() -> Result<Vec<AudioDeviceInfo>> {
    let host = cpal::default_host();
    let mut out = Vec::new();
    for device in host.devices()? {
        let id = device.id()?.to_string();
        let name = device
            .description()
            .map(|d| d.name().to_owned())
            .unwrap_or_else(|_| id.clone());
        out.push(AudioDeviceInfo {
            id,
            name,
            input: device.supports_input(),
            output: device.supports_output(),
        });
    }
    Ok(out)
}

/// Finds the chosen device for input (`input = true`) or output.
pub(crate) fn find_device(choice: &DeviceChoice, input: bool) -> Result<cpal::Device> {
    let host = cpal::default_host();
    let kind = if input { "input" } else { "output" };
    match choice {
        DeviceChoice::Default => if input {
            host.default_input_device()
        } else {
            host.default_output_device()
        }
        .ok_or(MediaError::NoAudioDevice(kind)),
        DeviceChoice::Id(id) => host
            .devices()?
            .find(|d| d.id().is_ok_and(|d| d.to_string() == *id))
            .ok_or_else(|| MediaError::DeviceNotFound(id.clone())),
    }
}

/// Picks 48 kHz in f32 or i16 if the device offers it, else its default configuration.
pub(crate) fn pick_config(device: &cpal::Device, input: bool) -> Result<SupportedStreamConfig> {
    let ranges: Vec<_> = if input {
        device.supported_input_configs()?.collect()
    } else {
        device.supported_output_configs()?.collect()
    };
    let preferred = ranges
        .into_iter()
        .filter(|r| matches!(r.sample_format(), SampleFormat::F32 | SampleFormat::I16))
        .find_map(|r| r.try_with_sample_rate(SAMPLE_RATE));
    match preferred {
        Some(config) => Ok(config),
        None if input => Ok(device.default_input_config()?),
        None => Ok(device.default_output_config()?),
    }
}

/// State shared with the device callback thread.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub(crate) samples: Mutex<VecDeque<i16>>,
    pub(crate) error: Mutex<Option<String>>,
    pub(crate) moved: AtomicU64,
}

impl Shared {
    pub(crate) fn fail(&self, err: &cpal::Error) {
        tracing::warn!(%err, "audio device error");
        *self.error.lock().unwrap_or_else(PoisonError::into_inner) = Some(err.to_string());
    }

    pub(crate) fn take_error(&self) -> Option<String> {
        self.error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// Captures 48 kHz mono frames from a cpal input device (downmixed and resampled).
pub struct MicrophoneSource {
    choice: DeviceChoice,
    stream: cpal::Stream,
    shared: Arc<Shared>,
    taken: u64,
}

impl std::fmt::Debug for MicrophoneSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MicrophoneSource")
            .field("choice", &self.choice)
            .field("taken", &self.taken)
            .finish_non_exhaustive()
    }
}

impl MicrophoneSource {
    /// Opens and starts the chosen input device.
    pub fn open(choice: DeviceChoice) -> Result<Self> {
        let shared = Arc::new(Shared::default());
        let stream = start_input(&choice, &shared)?;
        Ok(Self {
            choice,
            stream,
            shared,
            taken: 0,
        })
    }

    /// Samples (all channels, at the device rate) the device has delivered so far.
    pub fn samples_captured(&self) -> u64 {
        self.shared.moved.load(Ordering::Relaxed)
    }

    fn recover(&mut self, error: String) -> Result<()> {
        if self.choice != DeviceChoice::Default {
            return Err(MediaError::DeviceLost(error));
        }
        tracing::info!(%error, "input device lost, following the default device");
        self.stream = start_input(&self.choice, &self.shared)
            .map_err(|e| MediaError::DeviceLost(format!("{error}; reopening failed: {e}")))?;
        Ok(())
    }
}

fn start_input(choice: &DeviceChoice, shared: &Arc<Shared>) -> Result<cpal::Stream> {
    let device = find_device(choice, true)?;
    let config = pick_config(&device, true)?;
    let stream = match config.sample_format() {
        SampleFormat::F32 => build_input::<f32>(&device, config.config(), shared),
        SampleFormat::I16 => build_input::<i16>(&device, config.config(), shared),
        other => Err(MediaError::UnsupportedFormat(other.to_string())),
    }?;
    stream.play()?;
    Ok(stream)
}

fn build_input<T>(
    device: &cpal::Device,
    config: StreamConfig,
    shared: &Arc<Shared>,
) -> Result<cpal::Stream>
where
    T: SizedSample,
    f32: FromSample<T>,
{
    let channels = usize::from(config.channels.max(1));
    let mut resampler = Resampler::new(config.sample_rate, SAMPLE_RATE)?;
    let (mut mono, mut resampled) = (Vec::new(), Vec::new());
    let data_shared = Arc::clone(shared);
    let error_shared = Arc::clone(shared);
    let stream = device.build_input_stream(
        config,
        move |data: &[T], _: &cpal::InputCallbackInfo| {
            mono.clear();
            mono.extend(data.chunks(channels).map(|frame| {
                frame.iter().map(|s| s.to_sample::<f32>()).sum::<f32>() / frame.len() as f32
            }));
            resampled.clear();
            if let Err(err) = resampler.process(&mono, &mut resampled) {
                tracing::warn!(%err, "resampling microphone audio failed");
            }
            data_shared
                .moved
                .fetch_add(data.len() as u64, Ordering::Relaxed);
            let mut queue = data_shared
                .samples
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            queue.extend(
                resampled
                    .iter()
                    .map(|&s| (s.clamp(-1.0, 1.0) * 32767.0) as i16),
            );
            let excess = queue.len().saturating_sub(MAX_BUFFERED);
            queue.drain(..excess);
        },
        move |err| error_shared.fail(&err),
        Some(Duration::from_secs(2)),
    )?;
    Ok(stream)
}

impl AudioSource for MicrophoneSource {
    fn read(&mut self, _now: Duration) -> Result<Option<AudioFrame>> {
        if let Some(error) = self.shared.take_error() {
            self.recover(error)?;
        }
        let mut queue = self
            .shared
            .samples
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if queue.len() < FRAME_SAMPLES {
            return Ok(None);
        }
        let samples: Vec<i16> = queue.drain(..FRAME_SAMPLES).collect();
        drop(queue);
        let capture_time = Duration::from_micros(self.taken * 1_000_000 / u64::from(SAMPLE_RATE));
        self.taken += FRAME_SAMPLES as u64;
        Ok(Some(AudioFrame {
            capture_time,
            samples,
        }))
    }
}
