// The region a supervisor's list shows: the `wilayah` of the query, by default the account's scope. The choice stays
// in the address, so that a list can be bookmarked and each tab of the supervisors' page shows the same region.
import { useState } from 'preact/hooks';
import { regionNames } from '../data.js';
import { REGION_CODE } from '../format.js';
import { t } from '../i18n.js';
import { route, updateQuery } from '../router.js';
import { user } from '../session.js';
import { Field } from './Field.jsx';

export function useRegion() {
  const scope = user.value?.scope || '';
  const region = route.value.query.get('wilayah') || scope;
  const name = regionNames.value.get(region);
  const label = region ? (name ? `${name} (${region})` : region) : 'Indonesia';
  return { scope, region, label };
}

export function RegionChooser({ id, region, scope }) {
  const [text, setText] = useState(region);
  const [problem, setProblem] = useState(null);
  const choose = (event) => {
    event.preventDefault();
    const code = text.trim();
    if (code !== '' && !REGION_CODE.test(code)) {
      setProblem([t('region.not_code')]);
      return;
    }
    setProblem(null);
    updateQuery({ wilayah: code === scope ? '' : code });
  };
  return (
    <form class="inline-form" onSubmit={choose}>
      <Field id={id} label={t('supervision.region')} hint={t('supervision.region_hint', { scope: scope || '–' })}
        errors={problem} value={text} onInput={(e) => setText(e.currentTarget.value)} autocapitalize="none"
        spellcheck={false} />
      <button type="submit">{t('supervision.show')}</button>
    </form>
  );
}
