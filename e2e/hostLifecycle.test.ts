/**
 * The whole core started and stopped 20 times in one process, the way the Electron main will
 * (docs/architecture.md, "Composition and lifecycle"): `createHost` with the real engine (fake model API), remote access with the
 * embedded relay, the remote-TUI listener and the control endpoint; each round a CLI client
 * and a paired phone (resuming through the relay, on the port the host keeps) use it, the phone
 * runs a turn with an approval (so the audit log is open), then `dispose()`. After a warm-up, the open handles (process.getActiveResourcesInfo()), the
 * process's event listeners and the file descriptors (/proc/self/fd) must not grow.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pair, resume, type TrustedHost } from '../shared/controller/index.js';
import { silentLogger } from '../shared/util/logger.js';
import { createHost, type HostHandle } from '../host/app/createHost.js';
import { connectControl } from '../host/control/controlClient.js';
import { parseListenerOptions } from '../host/listener/listenerOptions.js';
import { testPhone } from './fixtures/controller.js';
import { pidsWithCodexHome } from './fixtures/engineProcesses.js';
import { useStack } from './fixtures/stack.js';

const ROUNDS = 20;
const WARM_UP = 2;
const stack = useStack({ label: 'lifecycle', host: false });

interface Snapshot {
  readonly resources: Record<string, number>;
  readonly listeners: Record<string, number>;
  readonly fds: number;
}

function snapshot(): Snapshot {
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  const listeners: Record<string, number> = {};
  for (const e of process.eventNames()) listeners[String(e)] = process.listenerCount(e);
  return { resources, listeners, fds: readdirSync('/proc/self/fd').length };
}

/** Keys whose count in `now` exceeds `base`. */
function growth(base: Record<string, number>, now: Record<string, number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(now)) if (v > (base[k] ?? 0)) out[k] = `${base[k] ?? 0} → ${v}`;
  return out;
}

function grew(base: Snapshot, now: Snapshot): Record<string, unknown> {
  const g: Record<string, unknown> = { ...growth(base.resources, now.resources), ...prefixed('listener ', growth(base.listeners, now.listeners)) };
  if (now.fds > base.fds) g.fds = `${base.fds} → ${now.fds}`;
  return g;
}

function prefixed(p: string, o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [`${p}${k}`, v]));
}

/** The lowest count of each kind over `ms` of samples: what stays open once everything settled. */
async function quietSnapshot(ms = 2000): Promise<Snapshot> {
  const samples: Snapshot[] = [];
  for (const end = Date.now() + ms; Date.now() < end; ) {
    samples.push(snapshot());
    await new Promise((r) => setTimeout(r, 100));
  }
  const min = (pick: (s: Snapshot) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const k of new Set(samples.flatMap((s) => Object.keys(pick(s))))) out[k] = Math.min(...samples.map((s) => pick(s)[k] ?? 0));
    return out;
  };
  return { resources: min((s) => s.resources), listeners: min((s) => s.listeners), fds: Math.min(...samples.map((s) => s.fds)) };
}

/** Sockets and child processes close asynchronously: wait (bounded) until nothing has grown. */
async function settledAgainst(base: Snapshot, deadlineMs = 10_000): Promise<Snapshot> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const now = snapshot();
    if (Object.keys(grew(base, now)).length === 0 || Date.now() > end) return now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('createHost / dispose in one process', () => {
  it(`starts and stops the whole core ${ROUNDS} times without leaking handles, listeners or fds`, async () => {
    const dataDir = await stack.newDataDir();
    const phone = testPhone('Lifecycle Phone');
    let trusted: TrustedHost | undefined;
    let relayUrl: string | undefined;
    let baseline: Snapshot | undefined;
    const after: Snapshot[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const host: HostHandle = await createHost({
        dataDir,
        env: stack.env,
        engineCwd: stack.home.workdir,
        logger: silentLogger,
        hostName: 'Lifecycle Host',
        listener: parseListenerOptions({ listen: 'ws://127.0.0.1:0' }),
        remoteAccess: { secretStore: 'file' },
      });
      try {
        const info = host.info();
        expect(info.engine.state).toBe('running');
        // The embedded relay keeps its port: the phone paired in round 0 resumes in every round.
        relayUrl ??= info.relay;
        expect(info.relay).toBe(relayUrl);

        const cli = await connectControl(dataDir);
        await expect(cli.request('host/info')).resolves.toMatchObject({ hostName: 'Lifecycle Host' });
        cli.close(1000, 'done');

        if (!trusted) {
          const { link } = (await pairingStart(dataDir)) as { link: string };
          const paired = await pair(link, phone.deps, { reconnect: false });
          trusted = paired.trustedHost;
          paired.session.close();
        }
        // A turn with an approval: the answer is audited, so the audit log's file is open.
        const session = await resume(trusted, phone.deps, { reconnect: false });
        const rpc = session.rpc;
        rpc.onRequest('item/commandExecution/requestApproval', () => ({ decision: 'accept' }));
        const completed = new Promise<{ turn: { status: string } }>((r) => rpc.onNotification('turn/completed', (p) => r(p as { turn: { status: string } })));
        await rpc.request('initialize', { clientInfo: { name: 'lifecycle-phone', version: '0' } });
        rpc.notify('initialized');
        const { thread } = (await rpc.request('thread/start', { cwd: stack.home.workdir })) as { thread: { id: string } };
        await rpc.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: `please RUN echo round-${round}`, text_elements: [] }] });
        expect((await completed).turn.status).toBe('completed');
        session.close();
      } finally {
        await host.dispose();
      }
      // The engine is gone; what it started for the thread (its login-shell snapshot runs in a
      // session of its own) ends by itself shortly after.
      await expect.poll(() => pidsWithCodexHome(stack.home.codexHome), { timeout: 30_000 }).toEqual([]);
      if (round === WARM_UP - 1) baseline = await quietSnapshot();
      else if (baseline) after.push(await settledAgainst(baseline));
    }

    expect(after).toHaveLength(ROUNDS - WARM_UP);
    const audited = (await readFile(join(dataDir, 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(audited).toHaveLength(ROUNDS);
    for (const [i, s] of after.entries()) expect(grew(baseline!, s), `round ${i + WARM_UP}`).toEqual({});
  }, 600_000);
});

/** `host/pairing/start` through the control endpoint (what `codex-host pair` does). */
async function pairingStart(dataDir: string): Promise<unknown> {
  const conn = await connectControl(dataDir);
  try {
    return await conn.request('host/pairing/start', {});
  } finally {
    conn.close(1000, 'done');
  }
}
