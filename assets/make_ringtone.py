"""Writes the ringtone of incoming calls (16 kHz mono 16-bit WAV) with the standard library only.

About two seconds of a soft two-tone chime (two notes taking turns, each struck like a
small bell and fading out), then one second of silence, so that playing it in a loop rings
in bursts rather than without a pause.

Usage: python3 assets/make_ringtone.py [ui/src/assets/ringtone.wav]
"""

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 16_000
# Two notes a major third apart (E6, C6): bright enough to be heard, not shrill.
HIGH = 1318.51
LOW = 1046.50
NOTE_S = 0.25
NOTES = [HIGH, LOW] * 4  # 8 notes: 2 s
SILENCE_S = 1.0
PEAK = 0.45  # of full scale: a ringtone, not an alarm
ATTACK_S = 0.006
DECAY_S = 0.11


def note(freq: float, t: float) -> float:
    """One struck note at `t` seconds after it starts: a fundamental with two soft overtones."""
    attack = min(1.0, t / ATTACK_S)
    envelope = attack * math.exp(-t / DECAY_S)
    tone = (
        math.sin(2 * math.pi * freq * t)
        + 0.35 * math.sin(2 * math.pi * 2 * freq * t)
        + 0.12 * math.sin(2 * math.pi * 3 * freq * t)
    )
    return envelope * tone / 1.47


def samples() -> list:
    out = []
    per_note = int(NOTE_S * RATE)
    for freq in NOTES:
        for i in range(per_note):
            out.append(note(freq, i / RATE))
    # Fade the last note's tail to zero so that the loop does not click.
    fade = int(0.02 * RATE)
    for i in range(fade):
        out[-fade + i] *= 1 - i / fade
    out.extend([0.0] * int(SILENCE_S * RATE))
    return out


def main() -> None:
    default = Path(__file__).resolve().parent.parent / "ui" / "src" / "assets" / "ringtone.wav"
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(struct.pack("<h", round(max(-1.0, min(1.0, s * PEAK)) * 32767)) for s in samples())
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    print(f"wrote {path} ({len(frames) // 2 / RATE:.1f} s, {path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
