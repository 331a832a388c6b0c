/**
 * The Control other devices tab as its own Settings section ("Other devices"), until Settings >
 * Connections joins the tabs (connectionTabs.tsx renders `OtherDevicesTab` itself then). Loaded
 * in its own chunk, with the window's `local` session (the controlled hosts are this host's,
 * whatever environment the sidebar shows). Offered only when the host says it has the feature:
 * a Windows host reports it unavailable, and the UI only reflects that.
 */
import { lazy, Suspense } from 'react';
import type { HostInfo } from '../../../../../shared/protocol/hostMethods';
import { LoadingState } from '../../../../common/views/States';
import { useEnvironmentModels } from '../../../environmentModels';

const OtherDevicesTab = lazy(() => import('./OtherDevicesTab').then((m) => ({ default: m.OtherDevicesTab })));

export function OtherDevicesSection() {
  const session = useEnvironmentModels().local.session;
  return (
    <Suspense fallback={<LoadingState label="Loading devices…" />}>
      <OtherDevicesTab session={session} />
    </Suspense>
  );
}

/** The host offers controlling other devices (false on Windows, and until host/info is known). */
export function offersOtherDevices(info: HostInfo | undefined): boolean {
  return info?.features.includes('remotes') ?? false;
}
