//! The microphone, speaker and camera a user picks for calls: the lists the machine
//! offers, and the choice, which applies at once in a call and to the next ones.

use serde::{Deserialize, Serialize};
use wren_media::device::{list_audio_devices, list_cameras};

/// One device a user can pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MediaDevice {
    /// What to choose it by (a camera's index, an audio device's host id).
    pub id: String,
    /// Its name, as the system gives it.
    pub name: String,
}

/// The devices a user picked; `None`: the system default (for the camera, the first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaDeviceChoice {
    /// The microphone.
    pub microphone: Option<String>,
    /// The speaker.
    pub speaker: Option<String>,
    /// The camera.
    pub camera: Option<String>,
}

/// What the machine offers, and what is chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MediaDevices {
    /// Devices that capture sound.
    pub microphones: Vec<MediaDevice>,
    /// Devices that play sound.
    pub speakers: Vec<MediaDevice>,
    /// Cameras.
    pub cameras: Vec<MediaDevice>,
    /// The choice in force.
    pub chosen: MediaDeviceChoice,
}

impl MediaDevices {
    /// The machine's devices now (empty lists where it has none, or cannot say); this
    /// asks the system and may take a moment.
    pub fn list(chosen: MediaDeviceChoice) -> MediaDevices {
        let audio = list_audio_devices().unwrap_or_else(|e| {
            tracing::info!(error = %e, "cannot list audio devices");
            Vec::new()
        });
        let pick = |input: bool| {
            audio
                .iter()
                .filter(|d| if input { d.input } else { d.output })
                .map(|d| MediaDevice {
                    id: d.id.clone(),
                    name: d.name.clone(),
                })
                .collect()
        };
        let cameras = list_cameras()
            .unwrap_or_else(|e| {
                tracing::info!(error = %e, "cannot list cameras");
                Vec::new()
            })
            .into_iter()
            .map(|c| MediaDevice {
                id: c.index.to_string(),
                name: c.name,
            })
            .collect();
        MediaDevices {
            microphones: pick(true),
            speakers: pick(false),
            cameras,
            chosen,
        }
    }

    /// The first device of `choice` this machine does not have, as "kind id".
    pub fn missing(&self, choice: &MediaDeviceChoice) -> Option<String> {
        let lists = [
            ("microphone", &choice.microphone, &self.microphones),
            ("speaker", &choice.speaker, &self.speakers),
            ("camera", &choice.camera, &self.cameras),
        ];
        lists.into_iter().find_map(|(kind, id, list)| {
            let id = id.as_ref()?;
            (!list.iter().any(|d| &d.id == id)).then(|| format!("{kind} {id:?}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_names_only_devices_the_machine_has() {
        let devices = MediaDevices {
            microphones: vec![MediaDevice {
                id: "mic-1".into(),
                name: "USB microphone".into(),
            }],
            speakers: vec![],
            cameras: vec![MediaDevice {
                id: "0".into(),
                name: "Webcam".into(),
            }],
            chosen: MediaDeviceChoice::default(),
        };
        assert_eq!(
            devices.missing(&MediaDeviceChoice::default()),
            None,
            "defaults"
        );
        let known = MediaDeviceChoice {
            microphone: Some("mic-1".into()),
            speaker: None,
            camera: Some("0".into()),
        };
        assert_eq!(devices.missing(&known), None);
        let unknown = MediaDeviceChoice {
            speaker: Some("hdmi".into()),
            ..known
        };
        assert_eq!(
            devices.missing(&unknown).as_deref(),
            Some("speaker \"hdmi\"")
        );
    }

    #[test]
    fn listing_a_machine_without_devices_gives_lists_not_errors() {
        let devices = MediaDevices::list(MediaDeviceChoice::default());
        assert!(devices.cameras.iter().all(|c| c.id.parse::<u32>().is_ok()));
        assert_eq!(devices.chosen, MediaDeviceChoice::default());
    }
}
