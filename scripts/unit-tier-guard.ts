/**
 * Setup file of the `unit` vitest project (vitest.config.ts): a unit test that opens a socket or
 * starts a process fails at that call, naming the rule, instead of passing slowly and flakily in
 * the wrong tier (docs/architecture.md, "Tests"). This catches what the static import scan
 * (scripts/check-test-tiers.mjs) cannot: code under test that listens, connects or spawns on
 * its own. Patched: TCP/IPC listen and connect (which covers `http`, `ws`, `fetch` and
 * `undici`), UDP bind, and every `child_process` entry point. Loopback or not makes no
 * difference: a unit test has no peer.
 */
import childProcess, { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

function refuse(what: string): never {
  throw new Error(
    `unit tier: ${what} in a unit test. Unit tests run without processes or sockets; ` +
      'name the file *.integration.test.ts (or move it to e2e/), or inject the socket or spawner (docs/architecture.md, "Tests")',
  );
}

net.Server.prototype.listen = function listen(): never {
  refuse('a server listens');
} as typeof net.Server.prototype.listen;
net.Socket.prototype.connect = function connect(): never {
  refuse('a socket connects');
} as typeof net.Socket.prototype.connect;
dgram.Socket.prototype.bind = function bind(): never {
  refuse('a UDP socket binds');
} as typeof dgram.Socket.prototype.bind;
// spawn, exec, execFile and fork all start through ChildProcess#spawn; the sync ones do not.
// `ChildProcess#spawn` is internal (not in the typings), hence the cast.
(ChildProcess.prototype as unknown as { spawn: () => never }).spawn = function spawn(): never {
  refuse('a child process starts');
};
for (const name of ['spawnSync', 'execSync', 'execFileSync'] as const) {
  (childProcess as unknown as Record<string, unknown>)[name] = () => refuse(`a child process starts (${name})`);
}
// Named ESM imports of built-ins (`import { spawnSync } from 'node:child_process'`) see the change.
syncBuiltinESMExports();
