/**
 * The CPU cost of the record layer alone, in-process (no sockets): seal then open one message
 * with the host's Node AEAD. It tells how much of an end-to-end round trip is cryptography.
 */
import { nodeAead } from '../../host/remote-access/nodeAead.js';
import { RecordOpener, RecordSealer } from '../../shared/crypto/record.js';

/** Mean microseconds to seal and open one `bytes`-byte message, over `iterations` after a warm-up. */
export async function sealOpenMicros(bytes: number, iterations: number): Promise<number> {
  const key = await nodeAead(crypto.getRandomValues(new Uint8Array(32)));
  const sid = crypto.getRandomValues(new Uint8Array(16));
  const sealer = new RecordSealer({ key, sid, direction: 'c2h' });
  const opener = new RecordOpener({ key, sid, direction: 'c2h' });
  const message = crypto.getRandomValues(new Uint8Array(bytes));
  const once = async () => {
    for (const record of await sealer.seal(message)) await opener.open(record);
  };
  for (let i = 0; i < Math.min(500, iterations); i++) await once();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await once();
  return ((performance.now() - t0) / iterations) * 1000;
}
