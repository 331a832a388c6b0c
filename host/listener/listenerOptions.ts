/**
 * Validation of the listener flags (`--listen`, `--ws-auth`, `--ws-token-file`, `--ws-token-sha256`,
 * `--ws-shared-secret-file`, `--ws-issuer`, `--ws-audience`, `--ws-max-clock-skew-seconds`) with the
 * rules and error texts of `codex app-server` 0.169.0 (docs/engine.md §9, upstream
 * `transport/auth.rs`), so a user moving between the two sees the same messages.
 *
 * One deliberate difference: `--ws-token-file` and `--ws-shared-secret-file` must be absolute paths
 * (upstream's `--help` says so, but 0.169.0 resolves relative paths against the cwd). A relative
 * path is refused with `--ws-token-file must be an absolute path (got `x`)`, because the host is
 * also started by the desktop app, whose cwd is not the user's.
 *
 * Secret files are read with a hard byte bound and must be regular files: `/dev/zero` or a FIFO
 * is refused at once (no endless read, no hang). A token or secret file that other users can
 * read is accepted (upstream does the same) but warned about, with the chmod that fixes it.
 */
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { FileRefusedError, readBoundedFileSync, type BoundedFile } from '../storage/boundedRead.js';
import { z } from 'zod';
import { parseUnknown } from '../../shared/util/schema.js';
import { formatHostPort, isLoopbackHost, ListenUrlError, parseListenUrl, type ListenAddress } from './listenUrl.js';

/** Default `--ws-max-clock-skew-seconds` (upstream `DEFAULT_MAX_CLOCK_SKEW_SECONDS`). */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 30;
/** Minimum signed-bearer secret length in bytes, after trimming (upstream `MIN_SIGNED_BEARER_SECRET_BYTES`). */
export const MIN_SIGNED_BEARER_SECRET_BYTES = 32;
/** Largest token or secret file read; anything bigger is a wrong path, not a secret. */
export const MAX_AUTH_SECRET_FILE_BYTES = 64 * 1024;

/** How upgrades are authenticated. Secrets are held in forms that do not print or serialize. */
export type ListenerAuth =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'capability-token';
      /** SHA-256 of the capability token; the token itself is never kept. */
      readonly tokenSha256: Uint8Array;
    }
  | {
      readonly mode: 'signed-bearer-token';
      /** The HS256 shared secret (trimmed file content) as a KeyObject, which never logs its bytes. */
      readonly sharedSecret: KeyObject;
      readonly issuer: string | undefined;
      readonly audience: string | undefined;
      readonly maxClockSkewSeconds: number;
    };

/** A validated listener configuration. */
export interface ListenerConfig {
  /** The `--listen` value as given (the bound URL differs when the port is 0). */
  readonly listenUrl: string;
  readonly address: ListenAddress;
  /** True when the bind address is loopback (127.0.0.0/8 or ::1). */
  readonly loopback: boolean;
  readonly auth: ListenerAuth;
  /** Lines the caller must print loudly before starting (e.g. unauthenticated non-loopback listener). */
  readonly warnings: readonly string[];
  /** Where the secret was read from (paths only, for Settings > Connections; never the secret). */
  readonly secretFile?: string;
}

/** Raw flag values, as a CLI parser or the settings store hands them over. */
export interface RawListenerOptions {
  listen?: string;
  wsAuth?: string;
  wsTokenFile?: string;
  wsTokenSha256?: string;
  wsSharedSecretFile?: string;
  wsIssuer?: string;
  wsAudience?: string;
  wsMaxClockSkewSeconds?: string | number;
  allowUnauthenticatedNonLoopbackWs?: boolean;
}

/** A fatal flag error. `message` is upstream's text; `hint`, when set, is extra advice to print after it. */
export class ListenerConfigError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ListenerConfigError';
  }
}

/** Collaborators, replaceable in tests. */
export interface ListenerOptionsDeps {
  /** Reads a whole secret file with its mode; default: a bounded read of a regular file. */
  readFile?: (path: string) => BoundedFile;
}

const MAX_FLAG_CHARS = 4096;
const flagString = z.string().max(MAX_FLAG_CHARS);
const rawSchema = z.object({
  listen: flagString.optional(),
  wsAuth: flagString.optional(),
  wsTokenFile: flagString.optional(),
  wsTokenSha256: flagString.optional(),
  wsSharedSecretFile: flagString.optional(),
  wsIssuer: flagString.optional(),
  wsAudience: flagString.optional(),
  wsMaxClockSkewSeconds: z.union([flagString, z.number()]).optional(),
  allowUnauthenticatedNonLoopbackWs: z.boolean().optional(),
});

const MSG_CAPABILITY_WITH_JWT_FLAGS =
  '`--ws-shared-secret-file`, `--ws-issuer`, `--ws-audience`, and `--ws-max-clock-skew-seconds` require `--ws-auth signed-bearer-token`';
const MSG_TOKEN_SOURCES_EXCLUSIVE = '`--ws-token-file` and `--ws-token-sha256` are mutually exclusive';
const MSG_TOKEN_SOURCE_REQUIRED = '`--ws-token-file` or `--ws-token-sha256` is required when `--ws-auth capability-token` is set';
const MSG_SIGNED_WITH_TOKEN_FLAGS =
  '`--ws-token-file` and `--ws-token-sha256` require `--ws-auth capability-token`, not `signed-bearer-token`';
const MSG_SECRET_FILE_REQUIRED = '`--ws-shared-secret-file` is required when `--ws-auth signed-bearer-token` is set';
const MSG_FLAGS_WITHOUT_MODE = 'websocket auth flags require `--ws-auth capability-token` or `--ws-auth signed-bearer-token`';

/**
 * Validates the listener flags, reads the token or secret file, and returns the config.
 * Throws `ListenerConfigError` (upstream's message) on any problem, in upstream's order:
 * `--listen` URL, auth flag combinations, secret files, then the non-loopback-without-auth refusal.
 */
export function parseListenerOptions(raw: RawListenerOptions, deps: ListenerOptionsDeps = {}): ListenerConfig {
  const opts = parseUnknown(rawSchema, raw, 'listener options');
  const readFile = deps.readFile ?? readBoundedFile;

  if (opts.listen === undefined) {
    throw new ListenerConfigError('`--listen ws://IP:PORT` is required to start the websocket listener');
  }
  let address: ListenAddress;
  try {
    address = parseListenUrl(opts.listen);
  } catch (err) {
    if (err instanceof ListenUrlError) throw new ListenerConfigError(err.message);
    throw err;
  }
  const loopback = isLoopbackHost(address.host);
  const warnings: string[] = [];
  const auth = parseAuth(opts, readFile, warnings);

  if (auth.mode === 'none' && !loopback) {
    const bind = formatHostPort(address.host, address.port);
    if (!opts.allowUnauthenticatedNonLoopbackWs) {
      throw new ListenerConfigError(
        `refusing to start non-loopback websocket listener ${bind} without auth; configure \`--ws-auth capability-token\` or \`--ws-auth signed-bearer-token\``,
        'to accept unauthenticated clients anyway (not recommended), pass --allow-unauthenticated-non-loopback-ws',
      );
    }
    warnings.push(
      `WARNING: the websocket listener on ws://${bind} accepts clients WITHOUT authentication ` +
        '(--allow-unauthenticated-non-loopback-ws). Anyone who can reach this address can drive Codex ' +
        'and run commands on this machine. Use --ws-auth capability-token or --ws-auth signed-bearer-token instead.',
    );
  }
  const secretFile = auth.mode === 'capability-token' ? opts.wsTokenFile : auth.mode === 'signed-bearer-token' ? opts.wsSharedSecretFile : undefined;
  return { listenUrl: opts.listen, address, loopback, auth, warnings, ...(secretFile !== undefined ? { secretFile } : {}) };
}

type ParsedRaw = z.output<typeof rawSchema>;

function parseAuth(opts: ParsedRaw, readFile: (path: string) => BoundedFile, warnings: string[]): ListenerAuth {
  const anyJwtFlag =
    opts.wsSharedSecretFile !== undefined ||
    opts.wsIssuer !== undefined ||
    opts.wsAudience !== undefined ||
    opts.wsMaxClockSkewSeconds !== undefined;
  const anyTokenFlag = opts.wsTokenFile !== undefined || opts.wsTokenSha256 !== undefined;

  switch (opts.wsAuth) {
    case undefined:
      if (anyJwtFlag || anyTokenFlag) throw new ListenerConfigError(MSG_FLAGS_WITHOUT_MODE);
      return { mode: 'none' };

    case 'capability-token': {
      if (anyJwtFlag) throw new ListenerConfigError(MSG_CAPABILITY_WITH_JWT_FLAGS);
      if (opts.wsTokenFile !== undefined && opts.wsTokenSha256 !== undefined) {
        throw new ListenerConfigError(MSG_TOKEN_SOURCES_EXCLUSIVE);
      }
      if (opts.wsTokenFile !== undefined) {
        const path = absolutePathArg('--ws-token-file', opts.wsTokenFile);
        const token = readTrimmedSecret('--ws-token-file', path, readFile, warnings);
        return { mode: 'capability-token', tokenSha256: sha256(Buffer.from(token, 'utf8')) };
      }
      if (opts.wsTokenSha256 !== undefined) {
        return { mode: 'capability-token', tokenSha256: sha256HexArg('--ws-token-sha256', opts.wsTokenSha256) };
      }
      throw new ListenerConfigError(MSG_TOKEN_SOURCE_REQUIRED);
    }

    case 'signed-bearer-token': {
      if (anyTokenFlag) throw new ListenerConfigError(MSG_SIGNED_WITH_TOKEN_FLAGS);
      if (opts.wsSharedSecretFile === undefined) throw new ListenerConfigError(MSG_SECRET_FILE_REQUIRED);
      const path = absolutePathArg('--ws-shared-secret-file', opts.wsSharedSecretFile);
      const maxClockSkewSeconds = parseSkew(opts.wsMaxClockSkewSeconds);
      const secret = Buffer.from(readTrimmedSecret('--ws-shared-secret-file', path, readFile, warnings), 'utf8');
      if (secret.length < MIN_SIGNED_BEARER_SECRET_BYTES) {
        throw new ListenerConfigError(
          `signed websocket bearer secret ${path} must be at least ${MIN_SIGNED_BEARER_SECRET_BYTES} bytes`,
        );
      }
      const sharedSecret = createSecretKey(secret);
      secret.fill(0);
      return {
        mode: 'signed-bearer-token',
        sharedSecret,
        issuer: normalizeClaimFlag(opts.wsIssuer),
        audience: normalizeClaimFlag(opts.wsAudience),
        maxClockSkewSeconds,
      };
    }

    default:
      throw new ListenerConfigError(
        `invalid value '${opts.wsAuth}' for '--ws-auth <MODE>' (possible values: capability-token, signed-bearer-token)`,
      );
  }
}

/** Upstream trims `--ws-issuer`/`--ws-audience` and treats an empty value as "not set". */
function normalizeClaimFlag(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function absolutePathArg(flag: string, path: string): string {
  if (!isAbsolute(path)) {
    throw new ListenerConfigError(`${flag} must be an absolute path (got \`${path}\`)`);
  }
  return path;
}

function parseSkew(value: string | number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_CLOCK_SKEW_SECONDS;
  const n = typeof value === 'number' ? value : /^[0-9]{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ListenerConfigError(
      `invalid value '${String(value)}' for '--ws-max-clock-skew-seconds <SECONDS>': expected a whole number of seconds (0 or more)`,
    );
  }
  return n;
}

function sha256HexArg(flag: string, value: string): Uint8Array {
  const trimmed = value.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    throw new ListenerConfigError(`${flag} must be a 64-character hex SHA-256 digest`);
  }
  return new Uint8Array(Buffer.from(trimmed, 'hex'));
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

function readTrimmedSecret(flag: string, path: string, readFile: (path: string) => BoundedFile, warnings: string[]): string {
  let raw: Uint8Array;
  try {
    const file = readFile(path);
    raw = file.bytes;
    if (file.mode & 0o044) {
      warnings.push(`WARNING: ${flag} ${path} is readable by other users (mode ${(file.mode & 0o777).toString(8).padStart(3, '0')}): anyone who reads it can connect; run chmod 600 ${path}`);
    }
  } catch (err) {
    throw new ListenerConfigError(`failed to read websocket auth secret ${path}: ${describeFsError(err)}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new ListenerConfigError(`failed to read websocket auth secret ${path}: stream did not contain valid UTF-8`);
  }
  const trimmed = text.trim();
  if (trimmed === '') throw new ListenerConfigError(`websocket auth secret ${path} must not be empty`);
  return trimmed;
}

function readBoundedFile(path: string): BoundedFile {
  return readBoundedFileSync(path, MAX_AUTH_SECRET_FILE_BYTES);
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
};

function describeFsError(err: unknown): string {
  if (err instanceof FileRefusedError) return err.why;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined) return FS_ERRORS[code] ?? code;
    return err.message;
  }
  return String(err);
}
