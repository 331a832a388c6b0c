/**
 * The Settings screen's sections. Each feature adds its own entry here (Connections — the
 * relay, pairing and devices — plugs in as one more section); the screen only lays them out.
 */
import type { ReactNode } from 'react';
import type { IconName } from '../../common/views/Icon';
import { AboutSection } from './AboutSection';
import { AppearanceSection } from './AppearanceSection';
import { SshSection } from './connections/ssh/SshSection';

export interface SettingsSection {
  readonly id: string;
  readonly label: string;
  readonly icon: IconName;
  readonly render: () => ReactNode;
}

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { id: 'appearance', label: 'Appearance', icon: 'sun', render: () => <AppearanceSection /> },
  { id: 'ssh', label: 'SSH', icon: 'server', render: () => <SshSection /> },
  { id: 'about', label: 'About this host', icon: 'server', render: () => <AboutSection /> },
];
