// Finds a kit by its id or by the code on its QR label (GET .../kits/{kit}).
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Field } from '../../components/Field.jsx';
import { ErrorBox, Loading } from '../../components/Status.jsx';
import { ensureRegionNames } from '../../data.js';
import { t } from '../../i18n.js';
import { KitCard } from '../TpsPage.jsx';

export function KitLookup({ election }) {
  const [code, setCode] = useState('');
  const [found, setFound] = useState(null); // {loading} | {kit} | {error}

  const submit = async (event) => {
    event.preventDefault();
    const text = code.trim();
    if (!text) return;
    setFound({ loading: true });
    try {
      const kit = await api.kit(election.id, text);
      // The province lists the regencies, so that "kpu:35.78" reads "KPU Kota Surabaya".
      const packer = kit.packed_at.split(':')[1];
      if (packer) await ensureRegionNames([packer.slice(0, 2)]);
      setFound({ kit });
    } catch (error) {
      setFound({ error, text });
    }
  };

  return (
    <div>
      <form class="form-card" onSubmit={submit} role="search" aria-label={t('kit_lookup.title')}>
        <Field id="kit-code" label={t('kit_lookup.label')} hint={t('kit_lookup.hint')} value={code}
          autocapitalize="none" spellcheck={false} onInput={(e) => setCode(e.currentTarget.value)} />
        <button type="submit">{t('kit_lookup.find')}</button>
      </form>
      <div aria-live="polite">
        {found?.loading && <Loading />}
        {found?.error && <ErrorBox error={found.error} title={t('kit_lookup.error', { code: found.text })} />}
        {found?.kit && <KitCard election={election.id} kit={found.kit} />}
      </div>
    </div>
  );
}
