/**
 * The remote-TUI listener's settings from Settings > Connections (docs/connections.md), kept in
 * `<dataDir>/listener.json` and written atomically. Only paths are stored, never a token or a
 * secret. A missing file means "off"; an unreadable one is left as it is, reported, and the
 * listener stays off until the settings are saved again. `serve --listen …` flags win.
 */
import path from 'node:path';
import { z } from 'zod';
import { ListenerSettingsSchema, type ListenerSettings } from '../../shared/protocol/features/listenerApi.js';
import { errorMessage } from '../../shared/util/errors.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';
import type { ListenerConfig, RawListenerOptions } from './listenerOptions.js';

export const LISTENER_SETTINGS_FILE = 'listener.json';
/** Where a generated capability token goes (0600, in the data dir's secrets folder). */
export const LISTENER_TOKEN_FILE = path.join('secrets', 'listener-token');
/** What the form starts with (a fixed port, so the `codex --remote` command stays the same). */
export const DEFAULT_LISTENER_SETTINGS: ListenerSettings = { enabled: false, listen: 'ws://127.0.0.1:8765', auth: 'none' };

const StoredSchema = z.object({ version: z.literal(1), settings: ListenerSettingsSchema }).strict();

export interface LoadedListenerSettings {
  readonly settings: ListenerSettings;
  readonly problem?: string;
}

export async function loadListenerSettings(dataDir: string): Promise<LoadedListenerSettings> {
  const file = path.join(dataDir, LISTENER_SETTINGS_FILE);
  try {
    return { settings: (await readJsonFile(file, StoredSchema, 16 * 1024))?.settings ?? DEFAULT_LISTENER_SETTINGS };
  } catch (err) {
    return { settings: DEFAULT_LISTENER_SETTINGS, problem: `${file} is unreadable (${errorMessage(err)}); the remote-TUI listener stays off until it is set up again in Settings > Connections` };
  }
}

export async function saveListenerSettings(dataDir: string, settings: ListenerSettings): Promise<void> {
  await writeJsonAtomic(path.join(dataDir, LISTENER_SETTINGS_FILE), { version: 1, settings });
}

/** The settings as the `serve --listen …` flags' raw options (the one validation path). */
export function rawOptionsOf(s: ListenerSettings): RawListenerOptions {
  const raw: RawListenerOptions = { listen: s.listen };
  if (s.auth === 'capability-token') {
    raw.wsAuth = 'capability-token';
    if (s.tokenFile !== undefined) raw.wsTokenFile = s.tokenFile;
  } else if (s.auth === 'signed-bearer-token') {
    raw.wsAuth = 'signed-bearer-token';
    if (s.sharedSecretFile !== undefined) raw.wsSharedSecretFile = s.sharedSecretFile;
    if (s.issuer) raw.wsIssuer = s.issuer;
    if (s.audience) raw.wsAudience = s.audience;
    if (s.maxClockSkewSeconds !== undefined) raw.wsMaxClockSkewSeconds = s.maxClockSkewSeconds;
  }
  return raw;
}

/** A validated flag configuration shown as settings (read-only in the UI). */
export function settingsOfConfig(c: ListenerConfig): ListenerSettings {
  const base = { enabled: true, listen: c.listenUrl.slice(0, 256) };
  switch (c.auth.mode) {
    case 'none':
      return { ...base, auth: 'none' };
    case 'capability-token':
      return { ...base, auth: 'capability-token', ...(c.secretFile ? { tokenFile: c.secretFile.slice(0, 1024) } : {}) };
    case 'signed-bearer-token':
      return {
        ...base,
        auth: 'signed-bearer-token',
        ...(c.secretFile ? { sharedSecretFile: c.secretFile.slice(0, 1024) } : {}),
        ...(c.auth.issuer ? { issuer: c.auth.issuer.slice(0, 256) } : {}),
        ...(c.auth.audience ? { audience: c.auth.audience.slice(0, 256) } : {}),
        maxClockSkewSeconds: Math.min(c.auth.maxClockSkewSeconds, 86_400),
      };
  }
}
