#!/usr/bin/env node
/**
 * `codex-host`: the headless host and its CLI (README.md). `serve` runs the host; the other
 * subcommands reach a running host through the control endpoint as a `cli` client. Every
 * misuse ends with one clear line on stderr (no stack trace) and a non-zero exit code:
 * 2 for usage errors, 1 for everything else.
 */
import { Command, CommanderError } from 'commander';
import { HostNotRunningError } from '../control/controlClient.js';
import { defaultDataDir } from '../storage/dataDir.js';
import { HOST_VERSION } from '../version.js';
import { CliError } from './cliError.js';
import { serveCommand } from './serveCommand.js';
import { statusCommand } from './statusCommand.js';
import { defineRelayCommand, RelayCliError } from '../../relay/main.js';
import { pairCommand } from './pairCommand.js';
import { devicesListCommand, devicesRenameCommand, devicesRevokeCommand } from './devicesCommand.js';
import { defineSshCommand } from './sshCommand.js';
import { defineKeepAwakeCommand } from './keepAwakeCommand.js';
import { errorMessage } from '../../shared/util/errors.js';
import { defineRemotesCommand } from './remotesCommand.js';

const out = (s: string) => process.stdout.write(`${s}\n`);
// `codex-host pair | head` closes our stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(`codex-host: cannot write to standard output: ${err.message}\n`);
  process.exit(1);
});

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('codex-host')
    .description('Run the Codex agent on this machine and drive it from anywhere.')
    .version(HOST_VERSION, '-V, --version')
    .showHelpAfterError('(run codex-host --help for usage)')
    .exitOverride();

  const dataDirOption = ['--data-dir <dir>', 'where the host keeps its state', defaultDataDir()] as const;

  program
    .command('serve')
    .description('run the host: engine, hub, remote-TUI listener, relay and pairing')
    .option(...dataDirOption)
    .option('--codex-bin <path>', 'codex binary to run (default: the bundled @openai/codex; env CODEX_HOST_CODEX_BIN)')
    .option('--listen <url>', 'remote-TUI listener, ws://IP:PORT (e.g. ws://127.0.0.1:4500)')
    .option('--ws-auth <mode>', 'listener auth: capability-token | signed-bearer-token')
    .option('--ws-token-file <path>', 'capability token file (absolute path)')
    .option('--ws-token-sha256 <hex>', 'SHA-256 of the capability token (64 hex characters)')
    .option('--ws-shared-secret-file <path>', 'HS256 secret file for signed bearer tokens (absolute path, >= 32 bytes)')
    .option('--ws-issuer <iss>', 'required JWT issuer')
    .option('--ws-audience <aud>', 'required JWT audience')
    .option('--ws-max-clock-skew-seconds <n>', 'JWT clock skew allowance (default 30)')
    .option('--allow-unauthenticated-non-loopback-ws', 'allow a non-loopback listener without auth (dangerous)')
    .option('--relay <url>', 'use this relay (ws[s]://host[:port]) instead of the embedded one')
    .option('--relay-listen <ip:port>', 'where the embedded relay listens (default 127.0.0.1 on a port chosen on the first start and kept in <data dir>/relay.json; use a LAN IP to pair phones on your network)')
    .option('--relay-tls-cert <file>', 'the embedded relay serves HTTPS/WSS with this certificate chain (PEM, reloaded when it changes; needs --relay-tls-key)')
    .option('--relay-tls-key <file>', 'the private key of --relay-tls-cert (PEM)')
    .option('--no-remote', 'turn remote access (relay, pairing) off')
    .option('--push-subject <subject>', 'contact for Web Push services, required to notify phones: mailto:you@example.com or an https: URL (kept in <data dir>/push.json)')
    .option('--ssh-config <file>', 'the ssh config whose hosts `codex-host ssh` lists (default ~/.ssh/config)')
    .option('--no-ssh', 'turn SSH hosts off')
    .option('--name <name>', 'host display name shown to paired devices (default: the hostname)')
    .option('--secret-store <kind>', 'where the host key lives: auto (the OS secret store if one answers, else a 0600 file; never the Linux kernel keyring) | keyring | file', 'auto')
    .option('--log-level <level>', 'debug | info | warn | error', 'info')
    .option('--ui', 'serve the desktop UI to a browser on this computer (prints its address)')
    .option('--ui-listen <ip:port>', 'where the UI is served (loopback only; default 127.0.0.1:0 = a free port; implies --ui)')
    .action(async (opts) => serveCommand(opts, out));

  program
    .command('status')
    .description('show the running host: engine, listener, relay, connected clients')
    .option(...dataDirOption)
    .option('--json', 'print JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => statusCommand({ dataDir: opts.dataDir, json: !!opts.json }, out));

  // `codex-host relay` is an alias of `codex-relay` (relay/main.ts).
  defineRelayCommand(program.command('relay').description('run a standalone relay server (same as codex-relay)'), out);

  program
    .command('pair')
    .description('show a pairing QR code and link for a phone or another host')
    .option(...dataDirOption)
    .option('--json', 'print {"link","expiresAt"} as JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => pairCommand({ dataDir: opts.dataDir, json: !!opts.json }, out));

  const devices = program
    .command('devices')
    .description('list the devices that can control this host')
    .option(...dataDirOption)
    .option('--json', 'print JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => devicesListCommand({ dataDir: opts.dataDir, json: !!opts.json }, out));
  devices
    .command('revoke <deviceId>')
    .description('revoke a device: end its sessions now and refuse it from now on')
    .option(...dataDirOption)
    .action(async (deviceId: string, opts: { dataDir: string }) => {
      // `devices --data-dir X revoke ID` and `devices revoke ID --data-dir X` both work.
      const parentDir = (devices.opts() as { dataDir: string }).dataDir;
      await devicesRevokeCommand({ dataDir: opts.dataDir !== defaultDataDir() ? opts.dataDir : parentDir, deviceId }, out);
    });
  devices
    .command('rename <deviceId> <name>')
    .description('change the name this host shows for a device')
    .option(...dataDirOption)
    .action(async (deviceId: string, name: string, opts: { dataDir: string }) => {
      const parentDir = (devices.opts() as { dataDir: string }).dataDir;
      await devicesRenameCommand({ dataDir: opts.dataDir !== defaultDataDir() ? opts.dataDir : parentDir, deviceId, name }, out);
    });
  defineRemotesCommand(program, dataDirOption, out);
  defineSshCommand(program, out);
  defineKeepAwakeCommand(program, dataDirOption, out);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (and help for --help / --version, which exit 0).
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError || err instanceof HostNotRunningError || err instanceof RelayCliError) {
      process.stderr.write(`codex-host: ${err.message}\n`);
      return err instanceof CliError ? err.exitCode : 1;
    }
    process.stderr.write(`codex-host: ${errorMessage(err)}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly || process.argv[1]?.endsWith('/codex-host')) {
  main(process.argv).then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`codex-host: ${errorMessage(err)}\n`);
      process.exitCode = 1;
    },
  );
}
