// The message shown to the user for a failed host call.

import type { MessageKey, Params } from '../i18n';
import { toErrorInfo } from '../platform/errors';

const KNOWN: Record<string, MessageKey> = {
  unauthorized: 'errors.unauthorized',
  forbidden: 'errors.forbidden',
  privacy_restricted: 'errors.privacy_restricted',
  wrong_key: 'errors.wrong_key',
  network: 'errors.network',
  not_found: 'errors.not_found',
  taken: 'errors.taken',
  conflict: 'errors.conflict',
  invalid: 'errors.invalid',
  rate_limited: 'errors.rate_limited',
  weak_passcode: 'errors.weak_passcode',
  not_member: 'errors.not_member',
  insecure: 'errors.insecure',
  locked: 'errors.locked',
  busy: 'errors.busy',
  already_signed_in: 'errors.already_signed_in',
};

export function errorText(t: (key: MessageKey, params?: Params) => string, error: unknown): string {
  const info = toErrorInfo(error);
  const key = KNOWN[info.code];
  return key !== undefined ? t(key) : t('errors.unknown', { message: info.message });
}
