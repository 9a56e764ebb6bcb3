//! The speaker sink: plays 48 kHz mono frames on a cpal output device.

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample, StreamConfig};

use crate::device::convert::Resampler;
use crate::device::microphone::{find_device, pick_config, Shared};
use crate::device::DeviceChoice;
use crate::error::{MediaError, Result};
use crate::frame::{AudioFrame, SAMPLE_RATE};
use crate::io::AudioSink;

/// Most audio queued for the device (0.5 s); older audio is dropped to bound latency.
const MAX_QUEUED: usize = SAMPLE_RATE as usize / 2;

/// Plays frames on a cpal output device (resampled and copied to every channel).
pub struct SpeakerSink {
    choice: DeviceChoice,
    stream: cpal::Stream,
    shared: Arc<Shared>,
    resampler: Resampler,
    scratch: (Vec<f32>, Vec<f32>),
}

impl std::fmt::Debug for SpeakerSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpeakerSink")
            .field("choice", &self.choice)
            .finish_non_exhaustive()
    }
}

impl SpeakerSink {
    /// Opens and starts the chosen output device.
    pub fn open(choice: DeviceChoice) -> Result<Self> {
        let shared = Arc::new(Shared::default());
        let (stream, rate) = start_output(&choice, &shared)?;
        Ok(Self {
            choice,
            stream,
            shared,
            resampler: Resampler::new(SAMPLE_RATE, rate)?,
            scratch: (Vec::new(), Vec::new()),
        })
    }

    /// Samples the device has pulled so far (all channels, silence included).
    pub fn samples_played(&self) -> u64 {
        self.shared.moved.load(Ordering::Relaxed)
    }
}

/// Starts the output stream; returns it with the device's sample rate.
fn start_output(choice: &DeviceChoice, shared: &Arc<Shared>) -> Result<(cpal::Stream, u32)> {
    let device = find_device(choice, false)?;
    let config = pick_config(&device, false)?;
    let rate = config.sample_rate();
    let stream = match config.sample_format() {
        SampleFormat::F32 => build_output::<f32>(&device, config.config(), shared),
        SampleFormat::I16 => build_output::<i16>(&device, config.config(), shared),
        other => Err(MediaError::UnsupportedFormat(other.to_string())),
    }?;
    stream.play()?;
    Ok((stream, rate))
}

fn build_output<T>(
    device: &cpal::Device,
    config: StreamConfig,
    shared: &Arc<Shared>,
) -> Result<cpal::Stream>
where
    T: SizedSample + FromSample<f32>,
{
    let channels = usize::from(config.channels.max(1));
    let data_shared = Arc::clone(shared);
    let error_shared = Arc::clone(shared);
    let stream = device.build_output_stream(
        config,
        move |data: &mut [T], _: &cpal::OutputCallbackInfo| {
            let mut queue = data_shared
                .samples
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            for frame in data.chunks_mut(channels) {
                let sample = queue.pop_front().map_or(0.0, |s| f32::from(s) / 32768.0);
                frame.fill(T::from_sample(sample));
            }
            data_shared
                .moved
                .fetch_add(data.len() as u64, Ordering::Relaxed);
        },
        move |err| error_shared.fail(&err),
        Some(Duration::from_secs(2)),
    )?;
    Ok(stream)
}

impl AudioSink for SpeakerSink {
    fn play(&mut self, frame: &AudioFrame, _now: Duration) -> Result<()> {
        if let Some(error) = self.shared.take_error() {
            if self.choice != DeviceChoice::Default {
                return Err(MediaError::DeviceLost(error));
            }
            tracing::info!(%error, "output device lost, following the default device");
            let (stream, rate) = start_output(&self.choice, &self.shared)
                .map_err(|e| MediaError::DeviceLost(format!("{error}; reopening failed: {e}")))?;
            self.stream = stream;
            self.resampler = Resampler::new(SAMPLE_RATE, rate)?;
        }
        let (input, output) = &mut self.scratch;
        input.clear();
        input.extend(frame.samples.iter().map(|&s| f32::from(s) / 32768.0));
        output.clear();
        self.resampler.process(input, output)?;
        let mut queue = self
            .shared
            .samples
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        queue.extend(
            output
                .iter()
                .map(|&s| (s.clamp(-1.0, 1.0) * 32767.0) as i16),
        );
        let excess = queue.len().saturating_sub(MAX_QUEUED);
        queue.drain(..excess);
        Ok(())
    }
}
