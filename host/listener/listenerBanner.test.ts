/** What `serve` prints about its listener (the listener itself runs on real sockets in wsListener.integration.test.ts). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listenerBannerLines } from './listenerBanner.js';
import { parseListenerOptions } from './listenerOptions.js';

const dir = mkdtempSync(join(tmpdir(), 'listener-banner-'));
const tokenFile = join(dir, 'token');
const secretFile = join(dir, 'secret');
writeFileSync(tokenFile, 'cap-token-7f3c9a1e5b2d4f60\n');
writeFileSync(secretFile, 'fedcba9876543210fedcba9876543210-secret\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('listenerBannerLines', () => {
  it('prints the bound address, health URLs, auth and the loopback note', () => {
    const config = parseListenerOptions({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: tokenFile });
    expect(listenerBannerLines('ws://127.0.0.1:43971', config)).toEqual([
      'codex-host (WebSockets)',
      '  listening on: ws://127.0.0.1:43971',
      '  readyz: http://127.0.0.1:43971/readyz',
      '  healthz: http://127.0.0.1:43971/healthz',
      '  auth: capability token (Authorization: Bearer <token>)',
      '  note: binds localhost only (use SSH port-forwarding for remote access)',
    ]);
  });

  it('says auth is required, or warns loudly, on non-loopback listeners', () => {
    const authed = parseListenerOptions({ listen: 'ws://0.0.0.0:0', wsAuth: 'signed-bearer-token', wsSharedSecretFile: secretFile, wsIssuer: 'me' });
    expect(listenerBannerLines('ws://0.0.0.0:1', authed).slice(4)).toEqual([
      '  auth: HS256 JWT (Authorization: Bearer <jwt>), max clock skew 30s, issuer me',
      '  note: websocket auth is required for non-localhost listeners',
    ]);
    const open = parseListenerOptions({ listen: 'ws://0.0.0.0:0', allowUnauthenticatedNonLoopbackWs: true });
    expect(listenerBannerLines('ws://0.0.0.0:1', open).at(-1)).toMatch(/^ {2}note: WARNING: non-localhost listener WITHOUT websocket auth/);
  });
});
