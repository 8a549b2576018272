// Live readiness over server-sent events (docs/api.md §8). One stream at a time: the regions the page shows.
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';

// 'off' (no stream), 'connecting' or 'live'.
export const liveState = signal('off');
// The last time a change reached the page (ms), for the polite announcement.
export const lastUpdate = signal(null);

const RETRY_MS = 5000;

// Calls onReadiness(region) for every `readiness` event of the given regions ("" is the nation). The first event of
// each region comes at once with its readiness now, later ones when it changes. Returns a function that stops.
function subscribe(election, regions, onReadiness) {
  let source = null;
  let retry = null;
  let stopped = false;

  const open = () => {
    liveState.value = 'connecting';
    const query = new URLSearchParams({ election, region: regions.join(',') });
    source = new EventSource(`/api/v1/events?${query}`);
    source.addEventListener('open', () => {
      liveState.value = 'live';
    });
    source.addEventListener('readiness', (event) => {
      liveState.value = 'live';
      try {
        onReadiness(JSON.parse(event.data));
      } catch {
        // A malformed event is skipped; the next one carries the whole readiness again.
      }
    });
    // The server is stopping: come back once it is up again.
    source.addEventListener('shutdown', () => reopenLater());
    source.addEventListener('error', () => {
      // EventSource reconnects by itself unless the answer was not a stream (a 4xx or 5xx): then retry later.
      if (source.readyState === EventSource.CLOSED) reopenLater();
      else liveState.value = 'connecting';
    });
  };

  const reopenLater = () => {
    source?.close();
    if (stopped) return;
    liveState.value = 'connecting';
    clearTimeout(retry);
    retry = setTimeout(open, RETRY_MS);
  };

  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
    liveState.value = 'off';
  };
}

// True when an event's readiness differs from what the page shows (the first event usually does not).
function readinessChanged(shown, event) {
  if (!shown) return true;
  for (const part of ['states', 'problems', 'right']) {
    for (const [key, value] of Object.entries(event[part] || {})) {
      if (shown[part]?.[key] !== value) return true;
    }
  }
  const items = event.items || [];
  if (shown.tps !== event.tps || (shown.items || []).length !== items.length) return true;
  return items.some((line, i) => shown.items[i].item !== line.item || shown.items[i].received !== line.received);
}

const REFRESH_DELAY_MS = 150;

// Follows a region's live readiness and calls reload() (which fetches the page's data again; the server keeps its
// answers, so this is cheap) when it changes, at most once per REFRESH_DELAY_MS, then marks the time of the update.
// `shown` is the region's readiness the page shows (null while it loads): an event is a change when it differs from
// it. Without `shown` (undefined), the first event is the baseline and each event is compared with the one before.
// A null `code` follows nothing (the page has nothing to follow, for instance a region that does not exist).
export function useLive(election, code, reload, shown) {
  const state = useRef({ timer: null, waiting: null, previous: null });
  const s = state.current;
  s.reload = reload;
  s.shown = shown;

  const check = (event) => {
    if (s.shown === null) {
      s.waiting = event;
      return;
    }
    const against = s.shown === undefined ? s.previous : s.shown;
    s.previous = event;
    if (s.timer || !against || !readinessChanged(against, event)) return;
    s.timer = setTimeout(async () => {
      s.timer = null;
      await s.reload();
      lastUpdate.value = Date.now();
    }, REFRESH_DELAY_MS);
  };

  useEffect(() => {
    if (shown && s.waiting) {
      const event = s.waiting;
      s.waiting = null;
      check(event);
    }
  }, [shown]);

  useEffect(() => {
    lastUpdate.value = null;
    if (code === null) return undefined;
    const stop = subscribe(election, [code], check);
    return () => {
      clearTimeout(s.timer);
      Object.assign(s, { timer: null, waiting: null, previous: null });
      stop();
    };
  }, [election, code]);
}
