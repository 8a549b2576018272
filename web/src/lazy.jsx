// Parts of the application loaded only when first shown (a separate chunk), so that the public dashboard does not
// carry them. lazy(load, name) is a component that renders `name` of the module `load()` resolves to.
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Loading } from './components/Status.jsx';
import { t } from './i18n.js';

export function lazy(load, name) {
  let loaded = null;
  let pending = null;
  return function Lazy(props) {
    const [, setReady] = useState(0);
    const [failure, setFailure] = useState(null);
    useEffect(() => {
      if (loaded) return undefined;
      let live = true;
      pending ??= load().then((module) => { loaded = module[name]; });
      pending.then(
        () => live && setReady((n) => n + 1),
        (error) => {
          pending = null; // tried again on the next mount
          if (live) setFailure(error);
        },
      );
      return () => { live = false; };
    }, []);
    if (loaded) {
      const Component = loaded;
      return <Component {...props} />;
    }
    if (failure) return <ErrorBox error={failure} title={t('app.chunk_error')} />;
    return <Loading />;
  };
}
