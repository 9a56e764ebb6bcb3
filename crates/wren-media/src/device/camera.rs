//! Cameras through nokhwa: listing, and a capture thread converting frames to I420.
//!
//! The camera is owned by its own thread (capture calls block, and camera handles are not
//! `Send` on every platform); frames reach the [`CameraSource`] over a small channel, and the
//! thread ends at the next frame after the source is dropped. YUYV and
//! NV12 are converted here; MJPEG-only cameras are refused (nokhwa's JPEG decoding is left out
//! to keep the build lean).

use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::time::{Duration, Instant};

use nokhwa::pixel_format::YuyvFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
    Resolution,
};
use nokhwa::Camera;

use crate::device::convert::{nv12_to_i420, yuyv_to_i420};
use crate::error::{MediaError, Result};
use crate::frame::VideoFrame;
use crate::io::VideoSource;

/// One camera as the platform reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraInfo {
    /// Index to pass to [`CameraSource::open`].
    pub index: u32,
    /// Human-readable name.
    pub name: String,
    /// Platform description (bus, driver).
    pub description: String,
}

/// Lists the cameras present; an empty list when there are none.
pub fn list_cameras() -> Result<Vec<CameraInfo>> {
    let cameras = nokhwa::query(ApiBackend::Auto)?;
    Ok(cameras
        .iter()
        .filter_map(|c| {
            Some(CameraInfo {
                index: c.index().as_index().ok()?,
                name: c.human_name(),
                description: c.description().to_owned(),
            })
        })
        .collect())
}

/// Video frames from a camera, converted to I420.
#[derive(Debug)]
pub struct CameraSource {
    frames: Receiver<Result<VideoFrame>>,
}

impl CameraSource {
    /// Opens camera `index` (or the first one) at the format closest to the request.
    /// Fails with [`MediaError::NoCamera`] when the machine has none.
    pub fn open(index: Option<u32>, width: u32, height: u32, fps: u32) -> Result<Self> {
        let cameras = list_cameras()?;
        let index = match index {
            Some(i) if cameras.iter().any(|c| c.index == i) => i,
            Some(i) => return Err(MediaError::DeviceNotFound(format!("camera {i}"))),
            None => cameras.first().ok_or(MediaError::NoCamera)?.index,
        };
        let wanted = CameraFormat::new(Resolution::new(width, height), FrameFormat::YUYV, fps);
        let (opened_tx, opened_rx) = mpsc::sync_channel(1);
        let (frames_tx, frames) = mpsc::sync_channel(2);
        std::thread::Builder::new()
            .name(format!("camera-{index}"))
            .spawn(move || capture(index, wanted, &opened_tx, &frames_tx))?;
        opened_rx
            .recv()
            .unwrap_or_else(|_| Err(MediaError::DeviceLost("camera thread ended".into())))?;
        Ok(Self { frames })
    }
}

fn capture(
    index: u32,
    wanted: CameraFormat,
    opened: &SyncSender<Result<()>>,
    frames: &SyncSender<Result<VideoFrame>>,
) {
    let requested = RequestedFormat::new::<YuyvFormat>(RequestedFormatType::Closest(wanted));
    let mut camera = match Camera::new(CameraIndex::Index(index), requested)
        .and_then(|mut c| c.open_stream().map(|()| c))
    {
        Ok(camera) => camera,
        Err(err) => {
            let _ = opened.send(Err(err.into()));
            return;
        }
    };
    let _ = opened.send(Ok(()));
    let start = Instant::now();
    loop {
        let frame = camera.frame().map_err(MediaError::from).and_then(|buffer| {
            let res = buffer.resolution();
            let (w, h) = (res.width() as usize, res.height() as usize);
            match buffer.source_frame_format() {
                FrameFormat::YUYV => yuyv_to_i420(w, h, buffer.buffer(), start.elapsed()),
                FrameFormat::NV12 => nv12_to_i420(w, h, buffer.buffer(), start.elapsed()),
                other => Err(MediaError::UnsupportedFormat(other.to_string())),
            }
        });
        let failed = frame.is_err();
        match frames.try_send(frame) {
            Ok(()) | Err(TrySendError::Full(_)) => {}
            Err(TrySendError::Disconnected(_)) => break,
        }
        if failed {
            break;
        }
    }
    let _ = camera.stop_stream();
}

impl VideoSource for CameraSource {
    fn read(&mut self, _now: Duration) -> Result<Option<VideoFrame>> {
        match self.frames.try_recv() {
            Ok(frame) => frame.map(Some),
            Err(mpsc::TryRecvError::Empty) => Ok(None),
            Err(mpsc::TryRecvError::Disconnected) => {
                Err(MediaError::DeviceLost("camera capture stopped".into()))
            }
        }
    }
}
