/**
 * The Settings screen's sections. Each feature adds its own entry here (Connections — the
 * relay, pairing and devices — plugs in as one more section); the screen only lays them out.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import type { IconName } from '../../common/views/Icon';
import { AboutSection } from './AboutSection';
import { AppearanceSection } from './AppearanceSection';
import type { HostInfo } from '../../../shared/protocol/hostMethods';
import { LoadingState } from '../../common/views/States';

// Connections (and the schemas its host calls parse with) loads when first opened.
const ConnectionsSection = lazy(() => import('./connections/ConnectionsSection').then((m) => ({ default: m.ConnectionsSection })));

export interface SettingsSection {
  readonly id: string;
  readonly label: string;
  readonly icon: IconName;
  readonly render: () => ReactNode;
  /** Whether the host offers it (default: always); a section the host does not offer is not listed. */
  readonly offered?: (info: HostInfo | undefined) => boolean;
}

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { id: 'appearance', label: 'Appearance', icon: 'sun', render: () => <AppearanceSection /> },
  {
    id: 'connections',
    label: 'Connections',
    icon: 'plug',
    render: () => (
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <ConnectionsSection />
      </Suspense>
    ),
  },
  { id: 'about', label: 'About this host', icon: 'server', render: () => <AboutSection /> },
];
