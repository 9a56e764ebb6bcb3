// The engine's rule for server addresses (wren-core `websocket_url`), so the sign-in screen
// can ask for consent before the host refuses: an address without a scheme uses TLS, and
// ws:// or http:// is unencrypted, which is fine only to this computer.

/** Whether `host` is this computer: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/\.$/, '').toLowerCase();
  if (h === 'localhost') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return h.split('.').every((part) => Number(part) <= 255);
  return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Whether signing in to this address would send the password unencrypted to another
 * computer: a `ws://` or `http://` address whose host is not this computer.
 */
export function isUnencryptedRemote(address: string): boolean {
  const match = /^\s*(ws|http):\/\/([^/?#\s]*)/i.exec(address);
  if (match === null) return false;
  const authority = match[2] ?? '';
  const bracketed = /^\[([^\]]*)\]/.exec(authority);
  const host = bracketed !== null ? (bracketed[1] ?? '') : authority.replace(/:\d*$/, '');
  return !isLoopbackHost(host);
}
