import { describe, expect, it } from 'vitest';
import { nobleAead } from '../crypto/nobleAead.js';
import { RecordOpener, RecordSealer, type RecordChannel } from '../crypto/record.js';
import { TransportClosedError, type CloseInfo } from '../rpc/transport.js';
import { RecordTransport } from './recordTransport.js';

interface End {
  transport: RecordTransport;
  written: Uint8Array[];
  ended: CloseInfo[];
  received: string[];
  closes: CloseInfo[];
  channel: RecordChannel;
}

async function pairOfEnds(): Promise<[End, End]> {
  const sid = crypto.getRandomValues(new Uint8Array(16));
  const c2h = await nobleAead(crypto.getRandomValues(new Uint8Array(32)));
  const h2c = await nobleAead(crypto.getRandomValues(new Uint8Array(32)));
  const make = (channel: RecordChannel): End => {
    const end: End = { written: [], ended: [], received: [], closes: [], channel, transport: undefined as unknown as RecordTransport };
    end.transport = new RecordTransport({
      channel,
      writeRecord: (r) => end.written.push(r),
      endSession: (code, reason) => end.ended.push({ code, reason }),
      mediumBufferedAmount: () => 0,
    });
    end.transport.onMessage((t) => end.received.push(t));
    end.transport.onClose((i) => end.closes.push(i));
    return end;
  };
  const controller = make({ sealer: new RecordSealer({ key: c2h, sid, direction: 'c2h' }), opener: new RecordOpener({ key: h2c, sid, direction: 'h2c' }) });
  const host = make({ sealer: new RecordSealer({ key: h2c, sid, direction: 'h2c' }), opener: new RecordOpener({ key: c2h, sid, direction: 'c2h' }) });
  return [controller, host];
}

const flush = () => new Promise((r) => setTimeout(r, 0));

async function deliver(from: End, to: End): Promise<void> {
  await flush();
  for (const r of from.written.splice(0)) await to.transport.receive(r);
}

describe('RecordTransport', () => {
  it('delivers messages in order, including ones split over several records', async () => {
    const [controller, host] = await pairOfEnds();
    const texts = ['{"id":1}', 'ü'.repeat(200_000), '', '{"id":3}'];
    for (const t of texts) controller.transport.send(t);
    await flush();
    expect(controller.written.length).toBe(5); // 400 000 bytes of ü → 2 records
    await deliver(controller, host);
    expect(host.received).toEqual(texts);
  });

  it('writes every record sent before close, then ends the session with the code', async () => {
    const [controller, host] = await pairOfEnds();
    controller.transport.send('a');
    controller.transport.send('b');
    controller.transport.close(4403, 'revoked');
    expect(controller.transport.isClosed).toBe(true);
    expect(() => controller.transport.send('c')).toThrow(TransportClosedError);
    await flush();
    expect(controller.written).toHaveLength(2);
    expect(controller.ended).toEqual([{ code: 4403, reason: 'revoked' }]);
    expect(controller.closes).toEqual([{ code: 4403, reason: 'revoked' }]);
    await deliver(controller, host);
    expect(host.received).toEqual(['a', 'b']);
  });

  it('ends the session with 4400 on a tampered record and delivers nothing after it', async () => {
    const [controller, host] = await pairOfEnds();
    controller.transport.send('one');
    controller.transport.send('two');
    await flush();
    const [first, second] = controller.written;
    second![second!.length - 1]! ^= 1;
    await host.transport.receive(first!);
    await host.transport.receive(second!);
    await flush();
    expect(host.received).toEqual(['one']);
    expect(host.ended).toEqual([{ code: 4400, reason: 'decrypt_failed' }]);
    expect(host.closes).toEqual([{ code: 4400, reason: 'decrypt_failed' }]);
  });

  it('ends the session with 4400 bad_counter on a replayed record', async () => {
    const [controller, host] = await pairOfEnds();
    controller.transport.send('once');
    await flush();
    const [record] = controller.written;
    await host.transport.receive(record!);
    await host.transport.receive(record!);
    await flush();
    expect(host.received).toEqual(['once']);
    expect(host.ended).toEqual([{ code: 4400, reason: 'bad_counter' }]);
  });

  it('ends the session with 4400 bad_utf8 when a message is not UTF-8', async () => {
    const [controller, host] = await pairOfEnds();
    const [record] = await controller.channel.sealer.seal(Uint8Array.of(0xff, 0xfe));
    await host.transport.receive(record!);
    await flush();
    expect(host.received).toEqual([]);
    expect(host.ended).toEqual([{ code: 4400, reason: 'bad_utf8' }]);
  });

  it('reports a peer that went away without writing anything', async () => {
    const [controller] = await pairOfEnds();
    controller.transport.markPeerClosed({ code: 1001, reason: 'controller disconnected' });
    expect(controller.closes).toEqual([{ code: 1001, reason: 'controller disconnected' }]);
    expect(controller.ended).toEqual([]);
    controller.transport.close(1000, 'late');
    await flush();
    expect(controller.ended).toEqual([]);
    expect(controller.closes).toHaveLength(1);
  });
});
