/**
 * The Add manually form's checks, run as the user types (the host checks again and its
 * sentence wins): display name, `user@host`, port 1–65535, identity file.
 */

export interface ManualHostInput {
  readonly name: string;
  readonly destination: string;
  readonly port: string;
  readonly identityFile: string;
}

export type ManualHostErrors = Partial<Record<keyof ManualHostInput, string>>;

/** The params of `host/ssh/add` / `host/ssh/edit` (without `name`/`newName`), or the field errors. */
export function checkManualHost(input: ManualHostInput): { ok: true; destination: string; port?: number; identityFile?: string } | { ok: false; errors: ManualHostErrors } {
  const errors: ManualHostErrors = {};
  const name = input.name.trim();
  if (!name) errors.name = 'Give it a name';
  else if (name.length > 64) errors.name = 'At most 64 characters';
  else if (!/^[A-Za-z0-9._-]+$/.test(name)) errors.name = 'Letters, digits, ".", "_" and "-" only (it is used like an alias)';

  const destination = input.destination.trim();
  const at = destination.lastIndexOf('@');
  if (!destination) errors.destination = 'Write it as user@host';
  else if (at <= 0 || at === destination.length - 1) errors.destination = 'Write it as user@host (the user is needed)';
  else if (/\s/.test(destination)) errors.destination = 'No spaces';

  const portText = input.port.trim();
  let port: number | undefined;
  if (portText) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'A number from 1 to 65535';
  }

  const identityFile = input.identityFile.trim();
  if (identityFile && !(identityFile.startsWith('/') || identityFile.startsWith('~/'))) errors.identityFile = 'A full path, or one that starts with ~/';

  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, destination, ...(port !== undefined ? { port } : {}), ...(identityFile ? { identityFile } : {}) };
}
