// Settings: account, profile and plan, chat folders, appearance (theme, language, interface
// scale), notifications, privacy (group adds, last seen), devices, passcode and auto-lock.

import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { LANGS, LANG_NAMES, isLang, type MessageKey } from '../i18n';
import { formatPercent } from '../i18n/locale';
import { formatDate, formatListStamp } from '../lib/dates';
import { isStrongEnough } from '../lib/passcode';
import { SCALES } from '../lib/scale';
import { BUSINESS_PINNED_CHATS, BUSINESS_PUBLIC_CHANNELS, type GroupAdds, type NotifyKinds, type PlanInfo } from '../platform/types';
import { useApp } from '../stores/app';
import { AUTO_LOCK_CHOICES, type AutoLock, type Theme } from '../stores/settings';
import { errorText } from './errorText';
import { FoldersSection } from './FoldersSection';
import { LastSeenSetting } from './LastSeenSetting';
import { ProfileSection } from './ProfileSection';

const THEMES: { value: Theme; key: 'settings.themeLight' | 'settings.themeDark' | 'settings.themeSystem' }[] = [
  { value: 'light', key: 'settings.themeLight' },
  { value: 'dark', key: 'settings.themeDark' },
  { value: 'system', key: 'settings.themeSystem' },
];

const GROUP_ADDS: { value: GroupAdds; key: 'settings.groupAddsEverybody' | 'settings.groupAddsNobody' }[] = [
  { value: 'everybody', key: 'settings.groupAddsEverybody' },
  { value: 'nobody', key: 'settings.groupAddsNobody' },
];

/** The notification switches, kinds of chats first; mentions (which override them) last. */
const NOTIFY_SWITCHES: { kind: keyof NotifyKinds; key: MessageKey }[] = [
  { kind: 'direct', key: 'settings.notifyDirect' },
  { kind: 'groups', key: 'settings.notifyGroups' },
  { kind: 'channels', key: 'settings.notifyChannels' },
];

const AUTO_LOCK_KEYS: Record<AutoLock, MessageKey> = {
  0: 'settings.autoLockOff',
  60: 'settings.autoLock60',
  300: 'settings.autoLock300',
  900: 'settings.autoLock900',
  3600: 'settings.autoLock3600',
  28800: 'settings.autoLock28800',
};

export function SettingsDialog(props: { onClose: () => void }): JSX.Element {
  const app = useApp();
  const { settings } = app;
  const t = settings.t;
  const [devices, { refetch }] = createResource(() => app.platform.devices().catch(() => []));
  // The server keeps the privacy settings: null while it cannot be asked.
  const [privacy, { mutate: setPrivacy }] = createResource(() => app.platform.privacy(null).catch(() => null));
  const [passcode, setPasscode] = createSignal('');
  const [note, setNote] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  /** "Sign out", naming the account when there are others (only the active one signs out). */
  const logoutLabel = (): string => {
    const username = app.session.account()?.username;
    return username === undefined || app.accounts.otherSignedIn() === undefined
      ? t('settings.logout')
      : t('settings.logoutOf', { name: `@${username}` });
  };

  const run = async (action: () => Promise<void>, done?: string): Promise<void> => {
    setError(null);
    setNote(null);
    try {
      await action();
      if (done !== undefined) setNote(done);
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  // The radios show what the server has: a click is held back until the server has the
  // new choice, and a refused choice is undone.
  let groupAddsField: HTMLFieldSetElement | undefined;
  const showGroupAdds = (): void => {
    const current = privacy()?.groupAdds;
    groupAddsField?.querySelectorAll('input').forEach((input) => {
      input.checked = input.value === current;
    });
  };
  const chooseGroupAdds = (groupAdds: GroupAdds): void => {
    if (privacy()?.groupAdds === groupAdds) return;
    void run(async () => {
      try {
        setPrivacy(await app.platform.privacy(groupAdds));
      } finally {
        showGroupAdds();
      }
    });
  };

  return (
    <Dialog title={t('settings.title')} testId="settings-dialog" onClose={props.onClose}>
      <section class="settings-section" aria-labelledby="settings-account">
        <h3 id="settings-account" class="section-title">
          {t('settings.account')}
        </h3>
        <div class="account-row">
          <span class="account-name" dir="auto" data-testid="settings-username">
            <bdi>{app.session.account()?.username}</bdi>
          </span>
          <button
            type="button"
            class="button danger"
            data-testid="logout"
            onClick={() =>
              void run(async () => {
                props.onClose();
                await app.session.logout();
              })
            }
          >
            {logoutLabel()}
          </button>
        </div>
        <Show when={app.session.serverUrl()}>
          {(url) => <p class="muted" dir="auto">{t('settings.server', { url: url() })}</p>}
        </Show>
      </section>

      <ProfileSection />

      <PlanSection />

      <FoldersSection />

      <section class="settings-section" aria-labelledby="settings-appearance">
        <h3 id="settings-appearance" class="section-title">
          {t('settings.appearance')}
        </h3>
        <fieldset class="segmented" data-testid="settings-theme">
          <legend>{t('settings.theme')}</legend>
          <For each={THEMES}>
            {(option) => (
              <label class="segment" classList={{ checked: settings.theme() === option.value }}>
                <input
                  type="radio"
                  name="theme"
                  value={option.value}
                  checked={settings.theme() === option.value}
                  onChange={() => settings.setTheme(option.value)}
                  data-testid={`theme-${option.value}`}
                />
                <span>{t(option.key)}</span>
              </label>
            )}
          </For>
        </fieldset>
        <label class="field">
          <span>{t('settings.language')}</span>
          <select
            data-testid="settings-language"
            value={settings.lang()}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isLang(value)) settings.setLang(value);
            }}
          >
            <For each={LANGS}>
              {(lang) => (
                <option value={lang} lang={lang} selected={settings.lang() === lang}>
                  {LANG_NAMES[lang]}
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="field">
          <span>{t('settings.scale')}</span>
          <select
            data-testid="settings-scale"
            aria-keyshortcuts="Control+= Control+- Control+0"
            value={settings.scale()}
            onChange={(e) => settings.setScale(Number(e.currentTarget.value))}
          >
            <For each={SCALES}>
              {(scale) => (
                <option value={scale} selected={settings.scale() === scale}>
                  {formatPercent(scale, settings.lang())}
                </option>
              )}
            </For>
          </select>
        </label>
      </section>

      <section class="settings-section" aria-labelledby="settings-notifications">
        <h3 id="settings-notifications" class="section-title">
          {t('settings.notifications')}
        </h3>
        <label class="check-row">
          <input
            type="checkbox"
            checked={settings.notificationPreview()}
            onChange={(e) => settings.setNotificationPreview(e.currentTarget.checked)}
            data-testid="settings-notification-preview"
          />
          <span>{t('settings.notificationPreview')}</span>
        </label>
        <fieldset class="choice-group" data-testid="settings-notify-kinds">
          <legend>{t('settings.notifyKinds')}</legend>
          <For each={NOTIFY_SWITCHES}>
            {(option) => <NotifySwitch kind={option.kind} label={t(option.key)} />}
          </For>
        </fieldset>
        <NotifySwitch kind="mentions" label={t('settings.notifyMentions')} />
      </section>

      <section class="settings-section" aria-labelledby="settings-privacy">
        <h3 id="settings-privacy" class="section-title">
          {t('settings.privacy')}
        </h3>
        <fieldset class="segmented" data-testid="settings-group-adds" disabled={!privacy()} ref={groupAddsField}>
          <legend>{t('settings.groupAdds')}</legend>
          <For each={GROUP_ADDS}>
            {(option) => (
              <label class="segment" classList={{ checked: privacy()?.groupAdds === option.value }}>
                <input
                  type="radio"
                  name="group-adds"
                  value={option.value}
                  checked={privacy()?.groupAdds === option.value}
                  onClick={(e) => {
                    e.preventDefault();
                    chooseGroupAdds(option.value);
                  }}
                  data-testid={`group-adds-${option.value}`}
                />
                <span>{t(option.key)}</span>
              </label>
            )}
          </For>
        </fieldset>
        <LastSeenSetting privacy={privacy()} onSaved={setPrivacy} run={run} />
      </section>

      <section class="settings-section" aria-labelledby="settings-devices">
        <h3 id="settings-devices" class="section-title">
          {t('settings.devices')}
        </h3>
        <ul class="device-list" data-testid="device-list">
          <For each={devices() ?? []}>
            {(device) => (
              <li class="device" data-testid={`device-${device.id}`}>
                <div>
                  <div class="device-name" dir="auto" data-testid="device-name">
                    <bdi>{device.name}</bdi>
                  </div>
                  <div class="muted">
                    {device.current
                      ? t('settings.thisDevice')
                      : t('settings.lastSeen', { when: formatListStamp(device.lastSeenAt, Date.now(), settings.lang()) })}
                  </div>
                </div>
                <Show when={!device.current}>
                  <button
                    type="button"
                    class="button danger"
                    aria-label={t('settings.revoke', { name: device.name })}
                    data-testid={`revoke-device-${device.id}`}
                    onClick={() =>
                      void run(async () => {
                        await app.platform.revokeDevice(device.id);
                        await refetch();
                      })
                    }
                  >
                    {t('settings.logout')}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </section>

      <section class="settings-section" aria-labelledby="settings-passcode">
        <h3 id="settings-passcode" class="section-title">
          {t('settings.passcode')}
        </h3>
        <p class="muted">{t('settings.passcodeHint')}</p>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (passcode() === '') return;
            if (!isStrongEnough(passcode())) {
              setNote(null);
              setError(t('errors.weak_passcode'));
              return;
            }
            void run(async () => {
              await app.session.setPasscode(passcode());
              setPasscode('');
            }, t('settings.passcodeSaved'));
          }}
        >
          <label class="field grow">
            <span>{t('settings.passcodeNew')}</span>
            <input
              type="password"
              autocomplete="new-password"
              value={passcode()}
              onInput={(e) => setPasscode(e.currentTarget.value)}
              data-testid="settings-passcode"
            />
          </label>
          <button type="submit" class="button" data-testid="settings-passcode-set">
            {t('settings.passcodeSet')}
          </button>
          <button
            type="button"
            class="button"
            data-testid="settings-passcode-remove"
            onClick={() => void run(() => app.session.setPasscode(null), t('settings.passcodeRemoved'))}
          >
            {t('settings.passcodeRemove')}
          </button>
        </form>
        <label class="field">
          <span>{t('settings.autoLock')}</span>
          <select
            data-testid="settings-auto-lock"
            aria-describedby="settings-auto-lock-hint"
            aria-keyshortcuts="Control+L"
            disabled={!app.session.hasPasscode()}
            value={settings.autoLock()}
            onChange={(e) => settings.setAutoLock(Number(e.currentTarget.value))}
          >
            <For each={AUTO_LOCK_CHOICES}>
              {(seconds) => (
                <option value={seconds} selected={settings.autoLock() === seconds}>
                  {t(AUTO_LOCK_KEYS[seconds])}
                </option>
              )}
            </For>
          </select>
        </label>
        <p id="settings-auto-lock-hint" class="muted">
          {t('settings.autoLockHint')}
        </p>
        <Show when={note()}>
          {(text) => (
            <p class="form-note" role="status">
              {text()}
            </p>
          )}
        </Show>
      </section>
      <FormError message={error()} />
    </Dialog>
  );
}

/** One notification switch (`notify-<kind>`), kept in the settings and told to the host. */
function NotifySwitch(props: { kind: keyof NotifyKinds; label: string }): JSX.Element {
  const { settings } = useApp();
  return (
    <label class="check-row">
      <input
        type="checkbox"
        checked={settings.notifyKinds()[props.kind]}
        onChange={(e) => settings.setNotifyKinds({ ...settings.notifyKinds(), [props.kind]: e.currentTarget.checked })}
        data-testid={`notify-${props.kind}`}
      />
      <span>{props.label}</span>
    </label>
  );
}

/**
 * The account's plan: which one, until when, and what it includes; on Free, what the
 * Business plan would unlock; on Business, the way to the business profile editor.
 */
function PlanSection(): JSX.Element {
  const app = useApp();
  const { settings } = app;
  const t = settings.t;
  // null: the host could not say (offline, say).
  const [plan] = createResource((): Promise<PlanInfo | null> => app.platform.plan().catch(() => null));
  return (
    <section class="settings-section" aria-labelledby="settings-plan-title" data-testid="settings-plan">
      <h3 id="settings-plan-title" class="section-title">
        {t('plan.section')}
      </h3>
      <Show when={!plan.loading} fallback={<p class="muted">{t('common.loading')}</p>}>
        <Show
          when={plan()}
          fallback={
            <p class="muted" data-testid="plan-unavailable">
              {t('plan.unavailable')}
            </p>
          }
        >
          {(info) => (
            <>
              <p class="plan-name" data-testid="plan-name" data-plan={info().plan}>
                {t('plan.current', { plan: t(info().plan === 'business' ? 'plan.business' : 'plan.free') })}
              </p>
              <Show when={info().plan === 'business'}>
                <p class="muted" data-testid="plan-until">
                  {(() => {
                    const until = info().until;
                    return until === null ? t('plan.noEnd') : t('plan.until', { date: formatDate(until, settings.lang()) });
                  })()}
                </p>
              </Show>
              <ul class="plan-limits" aria-label={t('plan.includes')} data-testid="plan-limits">
                <li data-testid="plan-limit-channels">
                  {settings.plural('plan.publicChannels', info().limits.publicChannels)}
                </li>
                <li data-testid="plan-limit-pins">
                  {settings.plural('plan.pinnedChats', info().limits.pinnedChats)}
                </li>
                <li data-testid="plan-limit-profile">
                  {t(info().limits.businessProfile ? 'plan.profileYes' : 'plan.profileNo')}
                </li>
                <li data-testid="plan-limit-sponsored">
                  {t(info().limits.sponsoredMessages ? 'plan.sponsoredYes' : 'plan.sponsoredNo')}
                </li>
              </ul>
              <Show when={info().plan === 'free'}>
                <p data-testid="plan-offer">
                  {t('plan.offer', {
                    business: BUSINESS_PUBLIC_CHANNELS,
                    free: info().limits.publicChannels,
                    businessPins: BUSINESS_PINNED_CHATS,
                    freePins: info().limits.pinnedChats,
                  })}
                </p>
              </Show>
              <p class="muted" data-testid="plan-free-note">
                {t('plan.freeStaysFree')}
              </p>
              <Show when={info().limits.businessProfile}>
                <button
                  type="button"
                  class="button"
                  aria-haspopup="dialog"
                  data-testid="business-profile-open"
                  onClick={() => app.setDialog('businessProfile')}
                >
                  {t('plan.editProfile')}
                </button>
              </Show>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
