import { describe, expect, it } from 'vitest';
import { translate, type Lang, type MessageKey, type Params } from '../../src/i18n';
import { errorText } from '../../src/screens/errorText';

const t = (lang: Lang) => (key: MessageKey, params?: Params) => translate(lang, key, params);

describe('errorText', () => {
  it('says in each language that someone refused group adds, not "not allowed"', () => {
    const refused = { code: 'privacy_restricted', message: '@alice does not allow being added to groups' };
    expect(errorText(t('en'), refused)).toBe(
      'Someone you chose does not allow others to add them to groups.',
    );
    expect(errorText(t('ar'), refused)).toContain('لا يسمح للآخرين بإضافته');
    expect(errorText(t('en'), { code: 'forbidden', message: 'admins only' })).toBe(
      'You are not allowed to do that.',
    );
  });

  it('says to end the call first when the host is busy with one', () => {
    const busy = { code: 'busy', message: 'end the call first' };
    expect(errorText(t('en'), busy)).toBe('End the call first.');
    expect(errorText(t('ar'), busy)).toBe('أنهِ المكالمة أولًا.');
  });

  it('says so when the account is signed in to another slot of this app', () => {
    const twice = { code: 'already_signed_in', message: '@anna is signed in to this app already' };
    expect(errorText(t('en'), twice)).toBe('This account is already signed in to Wren here.');
  });
});
