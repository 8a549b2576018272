import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

// Runs load(abortSignal) when deps change and keeps {data, error, loading}. reload() fetches again quietly: the data
// shown stays until the new answer replaces it, and a failed quiet reload keeps it (the next change tries again).
// Answers that arrive after newer requests were made are dropped, and an answer is never shown for other deps.
export function useLoader(load, deps) {
  const key = JSON.stringify(deps);
  const [state, setState] = useState({ key, data: null, error: null, loading: true });
  const generation = useRef(0);
  const controller = useRef(null);

  const run = useCallback((quiet) => {
    const id = ++generation.current;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    if (!quiet) setState({ key, data: null, error: null, loading: true });
    return load(abort.signal).then(
      (data) => {
        if (id === generation.current) setState({ key, data, error: null, loading: false });
      },
      (error) => {
        if (error?.name === 'AbortError' || id !== generation.current) return;
        if (quiet) setState((s) => ({ ...s, loading: false }));
        else setState({ key, data: null, error, loading: false });
      },
    );
  }, deps);

  useEffect(() => {
    run(false);
    return () => {
      generation.current++;
      controller.current?.abort();
    };
  }, [run]);

  const reload = () => run(true);
  // Until the effect has run for new deps, the state still holds the answer for the old ones: not shown.
  if (state.key !== key) return { data: null, error: null, loading: true, reload };
  return { ...state, reload };
}

export function useTitle(title) {
  useEffect(() => {
    document.title = title ? `${title} · tepat` : 'tepat';
  }, [title]);
}
