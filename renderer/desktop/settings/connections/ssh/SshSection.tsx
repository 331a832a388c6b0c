/**
 * The SSH tab as its own Settings section, until Settings > Connections joins the tabs
 * (connectionTabs.tsx renders `SshTab` itself then). Loaded in its own chunk, with the window's
 * `local` session (the SSH hosts are the host's, whatever environment the sidebar shows).
 */
import { lazy, Suspense } from 'react';
import { LoadingState } from '../../../../common/views/States';
import { useEnvironmentModels } from '../../../environmentModels';

const SshTab = lazy(() => import('./SshTab').then((m) => ({ default: m.SshTab })));

export function SshSection() {
  const session = useEnvironmentModels().local.session;
  return (
    <Suspense fallback={<LoadingState label="Loading SSH hosts…" />}>
      <SshTab session={session} />
    </Suspense>
  );
}
