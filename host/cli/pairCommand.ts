/** `codex-host pair [--json]`: a fresh pairing code from the running host, as a terminal QR and link. */
import { PairingStartResultSchema } from '../../shared/protocol/hostMethods.js';
import { parseUnknown } from '../../shared/util/schema.js';
import { connectControl } from '../control/controlClient.js';

export async function pairCommand(opts: { dataDir: string; json: boolean }, out: (s: string) => void): Promise<void> {
  const conn = await connectControl(opts.dataDir);
  try {
    const r = parseUnknown(PairingStartResultSchema, await conn.request('host/pairing/start', {}), 'host/pairing/start result');
    if (opts.json) {
      out(JSON.stringify({ link: r.link, expiresAt: r.expiresAt }));
      return;
    }
    out('Scan this code with your phone to control this host:');
    out(r.qr.terminal);
    out(`Or open this link on the device (valid once, until ${new Date(r.expiresAt).toLocaleTimeString()}):`);
    out(r.link);
  } finally {
    conn.close(1000, 'done');
  }
}
