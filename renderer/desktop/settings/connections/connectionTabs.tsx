/**
 * The tabs of Settings > Connections (connections-ui.md "Tabs"). A tab is one entry here:
 * `{ id, label, render(session) }`, plus `feature` when the tab belongs to a host feature that
 * may be off (the tab is then not offered: e.g. no "Control other devices" on Windows, which
 * the host decides by not listing the feature in host/info). The shell (ConnectionsSection.tsx)
 * shows a tab selector only when two or more tabs are offered.
 *
 * To add a tab, append one entry. Every tab gets the window's `local` session: pairing, devices,
 * controlled hosts and SSH hosts are this host's, whatever environment the sidebar shows.
 */
import type { ReactNode } from 'react';
import type { HostSession } from '../../../common/host/hostSession';
import { OtherDevicesTab } from './otherDevices/OtherDevicesTab';
import { SshTab } from './ssh/SshTab';
import { ThisComputerTab } from './thisComputer/ThisComputerTab';

export interface ConnectionTab {
  /** Stable id (used in test ids and to remember the open tab). */
  readonly id: string;
  /** The tab's label in the selector. */
  readonly label: string;
  /** The host feature the tab needs (host/info `features`); offered only while the host lists it. */
  readonly feature?: string;
  readonly render: (session: HostSession) => ReactNode;
}

export const CONNECTION_TABS: readonly ConnectionTab[] = [
  { id: 'this-computer', label: 'Control this computer', render: (session) => <ThisComputerTab session={session} /> },
  // Not on Windows: the host leaves `remotes` out of host/info there (docs/remotes.md).
  { id: 'other-devices', label: 'Control other devices', feature: 'remotes', render: (session) => <OtherDevicesTab session={session} /> },
  { id: 'ssh', label: 'SSH', feature: 'ssh', render: (session) => <SshTab session={session} /> },
];

/** The tabs this host offers, in order. */
export function offeredTabs(tabs: readonly ConnectionTab[], features: readonly string[] | undefined): ConnectionTab[] {
  return tabs.filter((t) => t.feature === undefined || (features ?? []).includes(t.feature));
}
