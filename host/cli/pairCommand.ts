/** `codex-host pair [--json]`: a fresh pairing code from the running host, as a terminal QR and link. */
import { runHostCommand } from './hostCommand.js';

export async function pairCommand(opts: { dataDir: string; json: boolean }, out: (s: string) => void): Promise<void> {
  const r = await runHostCommand('pair', opts.dataDir, (host) => host.call('host/pairing/start', {}));
  if (opts.json) {
    out(JSON.stringify({ link: r.link, expiresAt: r.expiresAt }));
    return;
  }
  out('Scan this code with your phone to control this host:');
  out(r.qr.terminal);
  out(`Or open this link on the device (valid once, until ${new Date(r.expiresAt).toLocaleTimeString()}):`);
  out(r.link);
}
