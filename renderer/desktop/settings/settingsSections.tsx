/**
 * The Settings screen's sections. Each feature adds its own entry here (Connections — the
 * relay, pairing and devices — plugs in as one more section); the screen only lays them out.
 */
import type { ReactNode } from 'react';
import type { IconName } from '../../common/views/Icon';
import { AboutSection } from './AboutSection';
import { AppearanceSection } from './AppearanceSection';
import { SshSection } from './connections/ssh/SshSection';
import { offersOtherDevices, OtherDevicesSection } from './connections/otherDevices/OtherDevicesSection';
import type { HostInfo } from '../../../shared/protocol/hostMethods';

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
  { id: 'ssh', label: 'SSH', icon: 'server', render: () => <SshSection /> },
  { id: 'other-devices', label: 'Other devices', icon: 'computer', render: () => <OtherDevicesSection />, offered: offersOtherDevices },
  { id: 'about', label: 'About this host', icon: 'server', render: () => <AboutSection /> },
];
