/**
 * The "Keep this computer awake" setting, kept in `<dataDir>/power.json` (docs/keep-awake.md):
 * `{ "keepAwake": true }`, written atomically (temp file, fsync, rename), default on. A file
 * that cannot be read is left as it is, reported as a warning, and the default applies until
 * the setting is changed (which replaces it).
 */
import path from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../../shared/util/errors.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';

export const POWER_SETTINGS_FILE = 'power.json';

const PowerSettingsSchema = z.object({ keepAwake: z.boolean() }).strict();
export type PowerSettings = z.infer<typeof PowerSettingsSchema>;

export const DEFAULT_POWER_SETTINGS: PowerSettings = { keepAwake: true };

/** What `loadPowerSettings` found: the settings to use and, when the file was unreadable, why. */
export interface LoadedPowerSettings {
  readonly settings: PowerSettings;
  readonly problem?: string;
}

export function powerSettingsPath(dataDir: string): string {
  return path.join(dataDir, POWER_SETTINGS_FILE);
}

/** Reads the setting; a missing file is the default, an unreadable one the default plus a problem. */
export async function loadPowerSettings(dataDir: string): Promise<LoadedPowerSettings> {
  const file = powerSettingsPath(dataDir);
  try {
    return { settings: (await readJsonFile(file, PowerSettingsSchema, 4096)) ?? DEFAULT_POWER_SETTINGS };
  } catch (err) {
    return {
      settings: DEFAULT_POWER_SETTINGS,
      problem: `${file} is unreadable (${errorMessage(err)}); keep-awake uses its default (on) until the setting is changed`,
    };
  }
}

/** Writes the setting atomically (0600). */
export async function savePowerSettings(dataDir: string, settings: PowerSettings): Promise<void> {
  await writeJsonAtomic(powerSettingsPath(dataDir), settings);
}
