/**
 * The remote-access settings Settings > Connections changes at run time (docs/connections.md):
 * "Allow other devices to connect" and which relay to use, kept in `<dataDir>/remote-access.json`
 * and written atomically (temp file, fsync, rename). A missing file means the defaults (on, the
 * embedded relay on this computer); an unreadable one is left as it is, reported, and the
 * defaults apply until the next change replaces it. Flags given to `serve` (`--relay`,
 * `--relay-listen`, `--no-remote`) win over what is stored here.
 */
import path from 'node:path';
import { z } from 'zod';
import { RelaySettingSchema, type RelaySetting } from '../../shared/protocol/features/remoteAccessApi.js';
import { errorMessage } from '../../shared/util/errors.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';

export const REMOTE_ACCESS_SETTINGS_FILE = 'remote-access.json';

const StoredSchema = z.object({ version: z.literal(1), enabled: z.boolean(), relay: RelaySettingSchema }).strict();

export interface RemoteAccessSettings {
  readonly enabled: boolean;
  readonly relay: RelaySetting;
}

export const DEFAULT_REMOTE_ACCESS_SETTINGS: RemoteAccessSettings = { enabled: true, relay: { mode: 'this-computer' } };

export interface LoadedRemoteAccessSettings {
  readonly settings: RemoteAccessSettings;
  /** Why the file could not be used (the defaults apply), for host/info warnings. */
  readonly problem?: string;
}

export function remoteAccessSettingsPath(dataDir: string): string {
  return path.join(dataDir, REMOTE_ACCESS_SETTINGS_FILE);
}

export async function loadRemoteAccessSettings(dataDir: string): Promise<LoadedRemoteAccessSettings> {
  const file = remoteAccessSettingsPath(dataDir);
  try {
    const stored = await readJsonFile(file, StoredSchema, 16 * 1024);
    return { settings: stored ? { enabled: stored.enabled, relay: stored.relay } : DEFAULT_REMOTE_ACCESS_SETTINGS };
  } catch (err) {
    return {
      settings: DEFAULT_REMOTE_ACCESS_SETTINGS,
      problem: `${file} is unreadable (${errorMessage(err)}); remote access uses its defaults until a setting is changed in Settings > Connections`,
    };
  }
}

export async function saveRemoteAccessSettings(dataDir: string, settings: RemoteAccessSettings): Promise<void> {
  await writeJsonAtomic(remoteAccessSettingsPath(dataDir), { version: 1, enabled: settings.enabled, relay: settings.relay });
}
