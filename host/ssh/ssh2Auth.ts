/**
 * The authentication sequence for one host, OpenSSH-style: agent keys (only those matching the
 * IdentityFiles when IdentitiesOnly is set), then each IdentityFile (asking for its passphrase
 * when it is encrypted), then keyboard-interactive and password (up to 3 tries), each only when
 * the config allows it and the server still offers it. Every question goes through the injected
 * prompter with a deadline; secrets are never logged or kept after use.
 */
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, IdentityCallback, ParsedKey } from 'ssh2';
import type { NextAuth } from './ssh2Client.js';
import type { ResolvedSshHost } from './resolvedHost.js';
import { askUser, type SshPrompter } from './sshPrompt.js';

const { OpenSSHAgent, utils } = ssh2;

export interface AuthDeps {
  /** Reads a key file; resolves undefined when it does not exist or cannot be read. */
  readonly readFile: (path: string) => Promise<Buffer | undefined>;
  readonly prompter: SshPrompter | undefined;
  readonly promptTimeoutMs: number;
}

type Step = { readonly kind: 'agent' } | { readonly kind: 'file'; readonly file: string } | { readonly kind: 'keyboard-interactive' } | { readonly kind: 'password'; readonly attempt: number };

/** OpenSSH's NumberOfPasswordPrompts default. */
const PASSWORD_TRIES = 3;

/** The `nextAuth` for `openSsh2Session`. */
export function createAuthSequence(host: ResolvedSshHost, deps: AuthDeps): NextAuth {
  const steps: Step[] = [];
  if (host.pubkeyAuthentication && host.agentSocket) steps.push({ kind: 'agent' });
  if (host.pubkeyAuthentication) for (const file of host.identityFiles) steps.push({ kind: 'file', file });
  if (host.kbdInteractiveAuthentication) steps.push({ kind: 'keyboard-interactive' });
  if (host.passwordAuthentication) for (let i = 1; i <= PASSWORD_TRIES; i++) steps.push({ kind: 'password', attempt: i });
  const who = `${host.user}@${host.alias}`;
  let refusal: unknown;

  const offered = (methodsLeft: readonly AuthenticationType[] | null, type: AuthenticationType) => methodsLeft === null || methodsLeft.includes(type);

  return async (methodsLeft) => {
    // A prompt that failed inside keyboard-interactive ends the sequence with its own error.
    if (refusal) throw refusal;
    // First ask with "none", like OpenSSH: the server's answer lists the methods it accepts.
    if (methodsLeft === null) return { type: 'none', username: host.user };
    for (let step = steps.shift(); step; step = steps.shift()) {
      switch (step.kind) {
        case 'agent': {
          if (!offered(methodsLeft, 'publickey')) continue;
          const socket = host.agentSocket!;
          if (!host.identitiesOnly) return { type: 'agent', username: host.user, agent: socket };
          const allowed = await publicKeysOf(host.identityFiles, deps);
          if (allowed.length === 0) continue;
          return { type: 'agent', username: host.user, agent: new FilteredAgent(socket, allowed) };
        }
        case 'file': {
          if (!offered(methodsLeft, 'publickey')) continue;
          const key = await loadPrivateKey(step.file, who, deps);
          if (key) return { type: 'publickey', username: host.user, key } as AnyAuthMethod;
          continue;
        }
        case 'keyboard-interactive': {
          if (!offered(methodsLeft, 'keyboard-interactive')) continue;
          return {
            type: 'keyboard-interactive',
            username: host.user,
            prompt: (name, instructions, _lang, prompts, finish) => {
              if (prompts.length === 0) return finish([]);
              askUser(
                deps.prompter,
                { host: host.alias, kind: 'keyboard-interactive', title: name || `Sign in to ${who}`, instructions, prompts: prompts.map((p) => ({ text: p.prompt, echo: p.echo === true })) },
                deps.promptTimeoutMs,
              ).then(finish, (err: unknown) => {
                refusal = err;
                finish([]);
              });
            },
          };
        }
        case 'password': {
          if (!offered(methodsLeft, 'password')) continue;
          const title = step.attempt === 1 ? `Password for ${who}` : `Password for ${who} (try ${step.attempt} of ${PASSWORD_TRIES}: the last one was refused)`;
          const [password] = await askUser(deps.prompter, { host: host.alias, kind: 'password', title, instructions: '', prompts: [{ text: 'Password:', echo: false }] }, deps.promptTimeoutMs);
          return { type: 'password', username: host.user, password: password ?? '' };
        }
      }
    }
    return undefined;
  };
}

async function loadPrivateKey(file: string, who: string, deps: AuthDeps): Promise<ParsedKey | undefined> {
  const data = await deps.readFile(file);
  if (!data) return undefined;
  let parsed = utils.parseKey(data);
  if (parsed instanceof Error && /passphrase/i.test(parsed.message)) {
    const [pass] = await askUser(deps.prompter, { host: who, kind: 'passphrase', title: `Passphrase for ${file}`, instructions: '', prompts: [{ text: 'Passphrase:', echo: false }] }, deps.promptTimeoutMs);
    parsed = utils.parseKey(data, pass ?? '');
  }
  if (parsed instanceof Error) return undefined;
  return Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
}

/** Public key blobs of the identity files (from `FILE.pub`, or the unencrypted private key). */
async function publicKeysOf(files: readonly string[], deps: AuthDeps): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const f of files) {
    const data = (await deps.readFile(`${f}.pub`)) ?? (await deps.readFile(f));
    const parsed = data ? utils.parseKey(data) : undefined;
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key && !(key instanceof Error)) out.push((key as ParsedKey).getPublicSSH());
  }
  return out;
}

/** The agent, showing only the keys of the IdentityFiles (IdentitiesOnly yes). */
class FilteredAgent extends OpenSSHAgent {
  readonly #allowed: readonly Buffer[];
  constructor(socket: string, allowed: readonly Buffer[]) {
    super(socket);
    this.#allowed = allowed;
  }
  override getIdentities(cb: IdentityCallback<ParsedKey>): void {
    super.getIdentities((err, keys) => {
      if (err || !keys) return cb(err, keys);
      cb(undefined, keys.filter((k) => 'getPublicSSH' in k && this.#allowed.some((a) => a.equals((k as ParsedKey).getPublicSSH()))));
    });
  }
}
