/**
 * The desktop window: sidebar (environments, threads) and the main pane (a thread, New thread,
 * or Settings). Below 720 px it becomes one pane at a time with a back button, which is how
 * the shared components are checked at phone width too.
 */
import { Suspense, useDeferredValue, useEffect, useState, type ReactNode } from 'react';
import { HostProvider, useHostModel, useSelect, useThreadStore } from '../common/host/HostProvider';
import { Icon } from '../common/views/Icon';
import { LoadingState } from '../common/views/States';
import { preloadableView } from '../common/views/preloadableView';
import { BlockedScreen, ConnectionBanner } from './ConnectionBanner';
import { NewThreadScreen } from './NewThreadScreen';
import { SettingsScreen } from './settings/SettingsScreen';
import { Sidebar } from './Sidebar';
import { useActiveModel } from './environmentModels';
import { useUi } from './uiContext';
import { applyTheme } from './uiStore';

const NARROW_QUERY = '(max-width: 720px)';

/**
 * The thread view (messages, markdown, diffs) is its own chunk: the first screen paints
 * without it, and it is fetched soon after the window connects, before anyone opens a thread,
 * so opening one does not wait for it (preloadableView.tsx says why plain `lazy` would).
 */
const { preload: loadThreadView, View: ThreadView } = preloadableView(() => import('../common/views/ThreadView').then((m) => m.ThreadView));

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW_QUERY).matches);
  useEffect(() => {
    const mq = window.matchMedia(NARROW_QUERY);
    const on = () => setNarrow(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return narrow;
}

function OpenThread({ threadId, headerStart }: { readonly threadId: string; readonly headerStart?: ReactNode }) {
  const store = useThreadStore(threadId);
  const model = useHostModel();
  const online = useSelect(model.connection, (s) => s.status.kind === 'online');
  if (!store) return <LoadingState label="Opening the thread…" />;
  return (
    <Suspense fallback={<LoadingState label="Opening the thread…" />}>
      <ThreadView key={threadId} store={store} headerStart={headerStart} offline={!online} />
    </Suspense>
  );
}

export function App() {
  const model = useHostModel();
  const active = useActiveModel();
  const ui = useUi();
  const screen = useSelect(ui, (s) => s.screen);
  const theme = useSelect(ui, (s) => s.theme);
  const status = useSelect(model.connection, (s) => s.status);
  // The main pane follows the connection at a lower priority than the sidebar: when the window
  // comes online, the thread list's first page (answered a few ms later) paints first instead
  // of waiting behind the New thread screen's render.
  const connecting = useDeferredValue(status.kind === 'connecting');
  const narrow = useNarrow();
  // On a narrow screen a remembered thread opens directly (a reload keeps the reader where they were).
  const [listOpen, setListOpen] = useState(() => ui.getState().screen.kind !== 'thread');

  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    if (status.kind !== 'online') return;
    // Fetched once the first screen has settled (parsing it must not delay the thread list).
    // A failed fetch is tried again when a thread is opened (through Suspense).
    const t = setTimeout(() => void loadThreadView().catch(() => undefined), 1000);
    return () => clearTimeout(t);
  }, [status.kind]);

  if (status.kind === 'refused') {
    return (
      <BlockedScreen title="This window is not connected">
        <p>{status.reason}</p>
      </BlockedScreen>
    );
  }

  const back = narrow ? (
    <button type="button" className="btn btn-ghost btn-icon" onClick={() => setListOpen(true)} aria-label="Back to threads">
      <Icon name="back" />
    </button>
  ) : undefined;

  // Threads live in the selected environment (its own model); Settings talks to the host itself.
  const main =
    screen.kind === 'settings' ? (
      <SettingsScreen section={screen.section} headerStart={back} />
    ) : (
      <HostProvider model={active} key={active.session === model.session ? 'local' : ui.getState().environmentId}>
        {screen.kind === 'thread' ? <OpenThread threadId={screen.threadId} headerStart={back} /> : <NewThreadScreen headerStart={back} />}
      </HostProvider>
    );

  const showList = !narrow || listOpen;
  const showMain = !narrow || !listOpen;
  return (
    <div className={`app${narrow ? ' is-narrow' : ''}`}>
      {showList ? <Sidebar onNavigate={() => setListOpen(false)} /> : null}
      {showMain ? (
        <main className="main">
          <ConnectionBanner />
          {connecting ? <LoadingState label="Connecting to the host…" /> : main}
        </main>
      ) : null}
      {narrow && showList ? <ConnectionBannerFloating /> : null}
    </div>
  );
}

function ConnectionBannerFloating() {
  return (
    <div className="floating-banner">
      <ConnectionBanner />
    </div>
  );
}
