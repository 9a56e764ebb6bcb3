// What sponsored messages are: where they appear, how they are chosen, what is (not) kept
// about who saw them, and that the Business plan turns them off.

import type { JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { useApp } from '../stores/app';

export function SponsoredAboutDialog(props: { onClose: () => void }): JSX.Element {
  const t = useApp().settings.t;
  return (
    <Dialog title={t('sponsored.aboutTitle')} testId="sponsored-about-dialog" onClose={props.onClose}>
      <div class="sponsored-about" data-testid="sponsored-about-text">
        <p>{t('sponsored.aboutWhere')}</p>
        <p>{t('sponsored.aboutChosen')}</p>
        <p>{t('sponsored.aboutRecord')}</p>
        <p>{t('sponsored.aboutBusiness')}</p>
      </div>
      <div class="form-actions">
        <button type="button" class="button primary" data-testid="sponsored-about-close" onClick={() => props.onClose()}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
