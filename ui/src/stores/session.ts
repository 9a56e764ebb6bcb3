// Who is signed in, and whether the profile is locked.

import { createSignal, type Accessor } from 'solid-js';
import { toErrorInfo } from '../platform/errors';
import type { Account, Platform } from '../platform/types';

export type Phase = 'loading' | 'signedOut' | 'locked' | 'ready';

export interface SessionStore {
  phase: Accessor<Phase>;
  account: Accessor<Account | null>;
  serverUrl: Accessor<string | null>;
  /** False until this machine has a profile: the lock screen then asks to choose a passcode. */
  profileExists: Accessor<boolean>;
  /**
   * True once the profile is known to have a passcode (it was locked, or a passcode was
   * entered or set here); `profileStatus` does not say, so a profile opened without input
   * counts as having none until a lock succeeds.
   */
  hasPasscode: Accessor<boolean>;
  refresh(): Promise<void>;
  login(serverUrl: string, username: string, password: string, allowInsecure: boolean): Promise<void>;
  register(serverUrl: string, username: string, password: string, allowInsecure: boolean): Promise<void>;
  unlock(passcode: string): Promise<void>;
  /** Locks the profile; rejects, leaving everything as it was, when the host refuses. */
  lock(): Promise<void>;
  /** Sets a new passcode, or (null) removes it. */
  setPasscode(passcode: string | null): Promise<void>;
  /**
   * Signs the active account out. Resolves to true when another account of this app took its
   * place (the phase stays: the page is to start again from that account); else the phase
   * becomes 'signedOut' and it resolves to false.
   */
  logout(): Promise<boolean>;
  /** The host signed this device out (revoked elsewhere): back to the sign-in screen. */
  signedOut(): void;
}

export function createSessionStore(platform: Platform): SessionStore {
  const [phase, setPhase] = createSignal<Phase>('loading');
  const [account, setAccount] = createSignal<Account | null>(null);
  const [serverUrl, setServerUrl] = createSignal<string | null>(null);
  const [profileExists, setProfileExists] = createSignal(true);
  const [hasPasscode, setHasPasscode] = createSignal(false);

  const refresh = async (): Promise<void> => {
    const status = await platform.profileStatus();
    setServerUrl(status.serverUrl);
    setProfileExists(status.exists);
    setAccount(status.account);
    if (status.locked && status.exists) setHasPasscode(true);
    setPhase(status.locked ? 'locked' : status.account !== null ? 'ready' : 'signedOut');
  };
  const signedIn = (url: string, who: Account): void => {
    setServerUrl(url);
    setAccount(who);
    setPhase('ready');
  };

  return {
    phase,
    account,
    serverUrl,
    profileExists,
    hasPasscode,
    refresh,
    async login(url, username, password, allowInsecure) {
      signedIn(url, await platform.login(url, username, password, allowInsecure));
    },
    async register(url, username, password, allowInsecure) {
      signedIn(url, await platform.register(url, username, password, allowInsecure));
    },
    async unlock(passcode) {
      await platform.unlock(passcode);
      setHasPasscode(true);
      await refresh();
    },
    async lock() {
      try {
        await platform.lock();
      } catch (error) {
        // The host's answer to a profile without a passcode.
        if (toErrorInfo(error).code === 'invalid') setHasPasscode(false);
        throw error;
      }
      setHasPasscode(true);
      setAccount(null);
      setPhase('locked');
    },
    async setPasscode(passcode) {
      await platform.setPasscode(passcode);
      setHasPasscode(passcode !== null);
    },
    async logout() {
      await platform.logout();
      const slots = await platform.accountSlots().catch(() => []);
      if (slots.some((slot) => slot.active && slot.account !== null)) return true;
      setAccount(null);
      setPhase('signedOut');
      return false;
    },
    signedOut() {
      setAccount(null);
      setPhase('signedOut');
    },
  };
}
