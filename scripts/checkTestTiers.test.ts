/** The test-tier rule: a unit test that imports sockets or processes is refused, naming the fix. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkTestTier, isUnitTest } from './check-test-tiers.mjs';

const check = checkTestTier as (rel: string, text: string) => string[];
const unit = isUnitTest as (rel: string) => boolean;

describe('check-test-tiers', () => {
  it('applies to *.test.ts outside e2e/, not to integration tests or e2e', () => {
    expect(unit('host/hub/hub.test.ts')).toBe(true);
    expect(unit('renderer/app/view.test.tsx')).toBe(true);
    expect(unit('relay/server/relayServer.integration.test.ts')).toBe(false);
    expect(unit('e2e/hostHub.test.ts')).toBe(false);
    expect(unit('host/hub/hub.ts')).toBe(false);
  });

  it('refuses socket and process modules in a unit test, naming the file to rename to', () => {
    const text = [
      "import { createServer } from 'node:http';",
      "import { spawn } from 'child_process';",
      "import WebSocket from 'ws';",
      // split so that the scan of this very file does not read it as an import
      "const net = await import(" + "'node:net');",
      "import 'node:tls';",
    ].join('\n');
    expect(check('host/x/thing.test.ts', text)).toEqual([
      'host/x/thing.test.ts: imports node:http (createServer): unit tests run without processes or sockets; rename it to thing.integration.test.ts or inject the socket or spawner',
      'host/x/thing.test.ts: imports child_process (spawn): unit tests run without processes or sockets; rename it to thing.integration.test.ts or inject the socket or spawner',
      'host/x/thing.test.ts: imports ws: unit tests run without processes or sockets; rename it to thing.integration.test.ts or inject the socket or spawner',
      'host/x/thing.test.ts: imports node:tls: unit tests run without processes or sockets; rename it to thing.integration.test.ts or inject the socket or spawner',
      'host/x/thing.test.ts: imports node:net: unit tests run without processes or sockets; rename it to thing.integration.test.ts or inject the socket or spawner',
    ]);
  });

  it('refuses the relay test peers and e2e fixtures, resolved from the file', () => {
    const problems = check('relay/server/a.test.ts', "import { useRelay } from '../testing/useRelay.js';\nimport { x } from '../../e2e/fixtures/stack.js';");
    expect(problems.map((p) => p.split(': imports ')[1]!.split(':')[0])).toEqual([
      '../testing/useRelay.js (opens sockets or starts processes)',
      '../../e2e/fixtures/stack.js (opens sockets or starts processes)',
    ]);
  });

  it('allows type-only imports, the pure node:net helpers, and anything in an integration test', () => {
    const text = [
      "import type { IncomingMessage } from 'node:http';",
      "import { type ChildProcess, type SpawnOptions } from 'node:child_process';",
      "import { isIPv4, SocketAddress } from 'node:net';",
      "import type { WebSocket } from 'ws';",
      "import { readFile } from 'node:fs/promises';",
    ].join('\n');
    expect(check('shared/net/address.test.ts', text)).toEqual([]);
    expect(check('host/listener/wsListener.integration.test.ts', "import { connect } from 'node:net';\nimport WebSocket from 'ws';")).toEqual([]);
    expect(check('e2e/hostHub.test.ts', "import WebSocket from 'ws';")).toEqual([]);
  });

  it('allows the in-memory message ports of node:worker_threads, not its threads', () => {
    expect(check('electron/main/a.test.ts', "import { MessageChannel, MessagePort } from 'node:worker_threads';")).toEqual([]);
    expect(check('electron/main/a.test.ts', "import { MessageChannel, Worker } from 'node:worker_threads';")).toEqual([
      'electron/main/a.test.ts: imports node:worker_threads (MessageChannel, Worker): unit tests run without processes or sockets; rename it to a.integration.test.ts or inject the socket or spawner',
    ]);
  });

  it('refuses node:net beyond its address helpers', () => {
    expect(check('shared/a.test.ts', "import { isIP, connect } from 'node:net';")).toEqual([
      'shared/a.test.ts: imports node:net (isIP, connect): unit tests run without processes or sockets; rename it to a.integration.test.ts or inject the socket or spawner',
    ]);
  });
});
