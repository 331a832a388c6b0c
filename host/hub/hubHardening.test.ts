/**
 * The red-team's hostile input against the hub (docs/security.md
 * P1, P5, P6, P7, P16, P18), each asserting what the client or the operator sees.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditSink } from '../audit/auditLog.js';
import { Emitter } from '../../shared/util/lifecycle.js';
import { answersByHand, approvalRequest, createTestHub, GatedAudit } from './testing/hubTestKit.js';

const initialize = { clientInfo: { name: 'x' } };
const deviceId = (n: number) => n.toString(16).padStart(32, '0');


describe('hub hardening: slots (P1)', () => {
  it('a device holds at most a few sessions; the next one is closed with 1013 saying which cap', async () => {
    const { attach } = createTestHub({ limits: { maxSessionsPerDevice: 3 } });
    for (let i = 0; i < 3; i++) attach('phone', 'Stolen phone', deviceId(1));
    const fourth = attach('phone', 'Stolen phone', deviceId(1));
    expect(await fourth.closed).toEqual({ code: 1013, reason: 'too many sessions for this device (max 3)' });
    // Another device is not affected.
    const other = attach('phone', 'Other phone', deviceId(2));
    await expect(other.conn.request('host/info')).resolves.toMatchObject({ hostName: 'test-host' });
  });

  it('remote TUI clients cannot take the slots kept for the host\'s admins: revocation still works', async () => {
    const { attach } = createTestHub({ limits: { maxClients: 6, reservedAdminSlots: 2, maxClientsPerKind: { tui: 10 } } });
    for (let i = 0; i < 4; i++) attach('tui', `tui ${i}`);
    const fifth = attach('tui', 'one too many');
    expect(await fifth.closed).toEqual({ code: 1013, reason: 'too many clients (the last 2 of 6 slots are kept for desktop and cli)' });
    const cli = attach('cli', 'codex-host cli');
    await expect(cli.conn.request('host/info')).resolves.toMatchObject({ hostName: 'test-host' });
  });

  it('caps each client kind', async () => {
    const { attach } = createTestHub({ limits: { maxClientsPerKind: { cli: 2 } } });
    attach('cli');
    attach('cli');
    expect(await attach('cli').closed).toEqual({ code: 1013, reason: 'too many cli clients (max 2)' });
  });
});

describe('hub hardening: answers (P5, P6, P16)', () => {
  it('refuses an answer to a server request that was not sent to this client; it never reaches the engine', async () => {
    const { attach, engine, audit } = createTestHub();
    const a = answersByHand(attach('tui', 'A'));
    const b = attach('tui', 'B');
    await a.conn.request('initialize', initialize);
    await b.conn.request('initialize', initialize);
    const [engineA, engineB] = [await engine.client(0), await engine.client(1)];
    // Only A's engine connection carries the approval (only A subscribed to the thread).
    engineA.raw.send(approvalRequest(0, 'touch blind.txt'));
    await a.next((m) => m.method === 'item/commandExecution/requestApproval');
    const beforeB = engineB.received.length;
    b.send({ id: 0, result: { decision: 'accept' } });
    const refused = await b.next((m) => m.id === null && m.error !== undefined);
    expect(refused).toEqual({
      id: null,
      error: { code: -32600, message: 'Invalid request: server request 0 was not sent to this client, or it already answered it; the answer was dropped', data: { requestId: 0 } },
    });
    await b.conn.request('host/info');
    expect(engineB.received.slice(beforeB)).toEqual([]);
    expect(audit.entries).toEqual([]);
    // A, who was asked, answers; its answer goes through and is audited once.
    a.send({ id: 0, result: { decision: 'decline' } });
    await expect.poll(() => engineA.received.some((t) => JSON.parse(t).id === 0 && 'result' in JSON.parse(t))).toBe(true);
    expect(audit.entries.map((e) => [e.client.name, e.decision, e.outcome])).toEqual([['A', 'decline', 'applied']]);
  });

  it('takes one answer per client per request: a repeated answer is refused and not audited again', async () => {
    const { attach, engine, audit } = createTestHub();
    const a = answersByHand(attach('tui', 'A'));
    await a.conn.request('initialize', initialize);
    const side = await engine.client(0);
    side.raw.send(approvalRequest(5, 'ls'));
    await a.next((m) => m.method === 'item/commandExecution/requestApproval');
    for (let i = 0; i < 50; i++) a.send({ id: 5, result: { decision: 'accept' } });
    await expect.poll(() => a.received.filter((m) => m.id === null).length).toBe(49);
    expect(audit.entries).toHaveLength(1);
    expect(side.received.filter((t) => JSON.parse(t).id === 5)).toHaveLength(1);
  });

  it('stores a bounded decision however long the answer is', async () => {
    const { attach, engine, audit } = createTestHub();
    const a = answersByHand(attach('tui', 'A'));
    await a.conn.request('initialize', initialize);
    (await engine.client(0)).raw.send(approvalRequest(1, 'ls'));
    await a.next((m) => m.method === 'item/commandExecution/requestApproval');
    a.send({ id: 1, result: { decision: 'x'.repeat(1024 * 1024) } });
    await expect.poll(() => audit.entries.length).toBe(1);
    expect(audit.entries[0]!.decision).toHaveLength(256);
    expect(audit.entries[0]!.decision.endsWith('…')).toBe(true);
  });

  it('rate-limits notifications and answers like requests', async () => {
    const { attach, engine } = createTestHub({ limits: { requestsPerSecond: 0.001, requestBurst: 3 } });
    const a = attach('tui', 'flooder');
    await a.conn.request('initialize', initialize); // token 1
    const side = await engine.client(0);
    const before = side.received.length;
    for (let i = 0; i < 20; i++) a.send({ method: 'noise/notification', params: { i } });
    for (let i = 0; i < 20; i++) a.send({ id: 1000 + i, result: {} });
    // Burst 3: initialize took one, two notifications got through; the other 38 messages were refused.
    await expect.poll(() => a.received.filter((m) => m.id === null).length).toBe(38);
    const errors = a.received.filter((m) => m.id === null).map((m) => m.error as { code: number; message: string });
    expect(errors.every((e) => e.code === -32001)).toBe(true);
    expect(errors[0]!.message).toBe('Rate limit exceeded: notification noise/notification was dropped; retry later.');
    expect(errors.at(-1)!.message).toBe('Rate limit exceeded: the answer to server request 1019 was dropped; send it again later.');
    // Two tokens were left: two notifications reached the engine, no answer (none was asked).
    expect(side.received.slice(before).map((t) => JSON.parse(t).method)).toEqual(['noise/notification', 'noise/notification']);
  });

  it('bounds what waits behind an approval whose audit line is pending, with a clear error', async () => {
    const audit = new GatedAudit();
    const { attach, engine } = createTestHub({ audit, limits: { maxHeldMessages: 3 } });
    const a = answersByHand(attach('phone', 'p', deviceId(1)));
    await a.conn.request('initialize', initialize);
    const side = await engine.client(0);
    side.raw.send(approvalRequest(2, 'ls'));
    await a.next((m) => m.method === 'item/commandExecution/requestApproval');
    a.send({ id: 2, result: { decision: 'accept' } });
    await audit.waitingFor(1);
    a.send({ id: 10, method: 'thread/list', params: {} });
    a.send({ id: 11, method: 'thread/list', params: {} });
    a.send({ id: 12, method: 'thread/list', params: {} });
    const refused = await a.next((m) => m.id === 12);
    expect(refused.error).toEqual({ code: -32001, message: 'Too many messages waiting for the audit log (at most 3 or 8 MiB); request thread/list was dropped; retry later.' });
    audit.release();
    await expect.poll(() => side.received.filter((t) => [2, 10, 11].includes(JSON.parse(t).id)).length).toBe(3);
    expect(side.received.some((t) => JSON.parse(t).id === 12)).toBe(false);
  });
});

/** An audit sink that fails until `heal()`, like a log whose directory is gone. */
class BrokenAudit implements AuditSink {
  readonly entries: AuditEntry[] = [];
  problem: string | undefined;
  readonly #changed = new Emitter<string | undefined>();
  #broken = true;

  append(e: AuditEntry): Promise<void> {
    if (this.#broken) {
      this.#set("ENOENT: no such file or directory, open '/home/u/.config/codex-host/audit.jsonl'");
      return Promise.reject(new Error(this.problem));
    }
    this.entries.push(e);
    this.#set(undefined);
    return Promise.resolve();
  }

  onProblemChanged(l: (p: string | undefined) => void) {
    return this.#changed.on(l);
  }

  heal(): void {
    this.#broken = false;
  }

  #set(p: string | undefined): void {
    if (p === this.problem) return;
    this.problem = p;
    this.#changed.fire(p);
  }
}

describe('hub hardening: the audit log (P7)', () => {
  it('refuses an approval while the audit log cannot be written, says so, and applies it once it can', async () => {
    const audit = new BrokenAudit();
    const { attach, engine } = createTestHub({ audit });
    const cli = attach('cli', 'codex-host cli');
    await cli.conn.request('host/notifications/subscribe', { methods: ['host/auditLog/changed'] });
    const phone = answersByHand(attach('phone', 'p', deviceId(1)));
    await phone.conn.request('initialize', initialize);
    const side = await engine.client(0);
    side.raw.send(approvalRequest(4, 'rm -rf build'));
    await phone.next((m) => m.method === 'item/commandExecution/requestApproval');
    phone.send({ id: 4, result: { decision: 'accept' } });
    const refused = await phone.next((m) => m.id === null);
    expect(refused.error).toEqual({
      code: -32056,
      message: "Approval not applied: the host cannot write its audit log, so the answer to server request 4 was dropped; answer again once the host's owner has fixed it (codex-host status)",
      data: { requestId: 4 },
    });
    // The phone learns nothing about the host's paths.
    expect(JSON.stringify(refused)).not.toContain('/home/');
    await phone.conn.request('host/info');
    expect(side.received.some((t) => JSON.parse(t).id === 4)).toBe(false);

    // The admin sees why, in host/info and as a notification; the phone only that it is down.
    const unavailable = "ENOENT: no such file or directory, open '/home/u/.config/codex-host/audit.jsonl'";
    await expect(cli.conn.request('host/info')).resolves.toMatchObject({ audit: { state: 'unavailable', error: unavailable } });
    await expect(phone.conn.request('host/info')).resolves.toMatchObject({ audit: { state: 'unavailable' } });
    expect(((await phone.conn.request('host/info')) as { audit: object }).audit).not.toHaveProperty('error');
    await cli.next((m) => m.method === 'host/auditLog/changed');
    expect(cli.received.find((m) => m.method === 'host/auditLog/changed')).toEqual({ method: 'host/auditLog/changed', params: { state: 'unavailable', error: unavailable } });

    audit.heal();
    phone.send({ id: 4, result: { decision: 'accept' } });
    await expect.poll(() => side.received.some((t) => JSON.parse(t).id === 4)).toBe(true);
    expect(audit.entries.map((e) => [e.decision, e.outcome])).toEqual([['accept', 'applied']]);
    await expect(cli.conn.request('host/info')).resolves.toMatchObject({ audit: { state: 'ok' } });
  });
});

describe('hub hardening: host/info (P18)', () => {
  it('lists other connected clients only to admin kinds', async () => {
    const { attach } = createTestHub();
    const phone = attach('phone', 'Pixel', deviceId(7));
    const tui = attach('tui', 'codex-tui');
    const cli = attach('cli', 'codex-host cli');
    const names = async (c: typeof cli) => ((await c.conn.request('host/info')) as { clients: { name: string }[] }).clients.map((x) => x.name).sort();
    expect(await names(phone)).toEqual(['Pixel']);
    expect(await names(tui)).toEqual(['codex-tui']);
    expect(await names(cli)).toEqual(['Pixel', 'codex-host cli', 'codex-tui']);
  });

  it('shows the listener address only to admin kinds', async () => {
    const { attach } = createTestHub({ hub: { describe: () => ({ listener: 'ws://127.0.0.1:4500', relay: 'ws://127.0.0.1:4501' }) } });
    await expect(attach('cli').conn.request('host/info')).resolves.toMatchObject({ listener: 'ws://127.0.0.1:4500', relay: 'ws://127.0.0.1:4501' });
    const info = (await attach('phone', 'p', deviceId(1)).conn.request('host/info')) as Record<string, unknown>;
    expect(info).not.toHaveProperty('listener');
    expect(info.relay).toBe('ws://127.0.0.1:4501');
  });
});
