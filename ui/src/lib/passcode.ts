// The engine's rule for a new local passcode, checked here too so the user hears it before
// the (slow) key derivation runs.

/** The fewest characters a new passcode may have. */
const MIN_PASSCODE_CHARS = 6;

/** Whether a passcode the user is choosing is long enough (counted in characters). */
export function isStrongEnough(passcode: string): boolean {
  return [...passcode].length >= MIN_PASSCODE_CHARS;
}
