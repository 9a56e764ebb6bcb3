// The ringtone of an incoming call, played in a loop while it rings. Playing may be refused
// (no sound card, autoplay rules): the call still shows, silently.

import ringtoneUrl from '../assets/ringtone.wav?url';

export { ringtoneUrl };

/** Starts ringing; returns the function that stops it. */
export function startRingtone(): () => void {
  if (typeof Audio === 'undefined') return () => undefined;
  const audio = new Audio(ringtoneUrl);
  audio.loop = true;
  let stopped = false;
  // `play()` rejects without a sound device, and throws where media is not implemented.
  void Promise.resolve()
    .then(() => (stopped ? undefined : audio.play()))
    .catch(() => undefined);
  return () => {
    stopped = true;
    try {
      audio.pause();
    } catch {
      // Nothing was playing.
    }
  };
}
