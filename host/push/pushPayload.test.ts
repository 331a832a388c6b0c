import { describe, expect, it } from 'vitest';
import { buildPushPayload, pushDelivery } from './pushPayload.js';

const HOST_ID = '0123456789abcdef0123456789abcdef';

describe('push payload', () => {
  it('says only the host and what happened, with a fragment link to the thread', () => {
    expect(buildPushPayload({ kind: 'approval-needed', hostName: 'Studio Mac', threadId: 't-1' }, HOST_ID)).toEqual({
      title: 'Approval needed',
      body: 'Studio Mac: Codex is waiting for your approval',
      url: `/#/hosts/${HOST_ID}/threads/t-1`,
    });
    expect(buildPushPayload({ kind: 'turn-finished', hostName: 'Studio Mac', threadId: 't-1' }, HOST_ID).title).toBe('Turn finished');
  });

  it('links a thread of another environment through that environment', () => {
    expect(buildPushPayload({ kind: 'turn-finished', hostName: 'h', threadId: 't-1', environmentId: 'remote:ab12' }, HOST_ID).url).toBe(`/#/hosts/${HOST_ID}/environments/remote%3Aab12/threads/t-1`);
    expect(buildPushPayload({ kind: 'turn-finished', hostName: 'h', threadId: 't-1', environmentId: 'ssh:build-box.local' }, HOST_ID).url).toBe(`/#/hosts/${HOST_ID}/environments/ssh%3Abuild-box.local/threads/t-1`);
    expect(buildPushPayload({ kind: 'turn-finished', hostName: 'h', threadId: 't-1', environmentId: 'local' }, HOST_ID).url).toBe(`/#/hosts/${HOST_ID}/threads/t-1`);
    expect(() => buildPushPayload({ kind: 'turn-finished', hostName: 'h', threadId: 't', environmentId: 'ssh:a\nb' }, HOST_ID)).toThrow('invalid environment id');
    // The same thread id in two environments is two topics (one does not replace the other).
    expect(pushDelivery({ kind: 'turn-finished', hostName: 'h', threadId: 't-1', environmentId: 'ssh:a' }).topic).not.toBe(pushDelivery({ kind: 'turn-finished', hostName: 'h', threadId: 't-1' }).topic);
  });

  it('cleans the host name (controls, bidi overrides, length) and falls back when nothing is left', () => {
    const long = 'x'.repeat(200);
    expect(buildPushPayload({ kind: 'turn-finished', hostName: 'Evil\u202Egnp.exe\n', threadId: 't' }, HOST_ID).body).toBe('Evilgnp.exe: Codex finished working');
    expect(buildPushPayload({ kind: 'turn-finished', hostName: long, threadId: 't' }, HOST_ID).body).toBe(`${'x'.repeat(64)}: Codex finished working`);
    expect(buildPushPayload({ kind: 'turn-finished', hostName: '\u0000', threadId: 't' }, HOST_ID).body).toBe('Codex Host: Codex finished working');
  });

  it('refuses ids that do not look like ids', () => {
    expect(() => buildPushPayload({ kind: 'turn-finished', hostName: 'h', threadId: 'a/b' }, HOST_ID)).toThrow('invalid thread id');
    expect(() => buildPushPayload({ kind: 'turn-finished', hostName: 'h', threadId: 'x'.repeat(129) }, HOST_ID)).toThrow('invalid thread id');
    expect(() => buildPushPayload({ kind: 'turn-finished', hostName: 'h', threadId: 't' }, 'HOST')).toThrow('invalid host id');
  });

  it('delivers approvals urgently for 12 h and "finished" normally for 1 h, under a topic per kind and thread', () => {
    const a = pushDelivery({ kind: 'approval-needed', hostName: 'h', threadId: 't-1' });
    const f = pushDelivery({ kind: 'turn-finished', hostName: 'h', threadId: 't-1' });
    expect([a.ttl, a.urgency, f.ttl, f.urgency]).toEqual([43_200, 'high', 3600, 'normal']);
    expect(a.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.topic).not.toBe(f.topic);
    expect(pushDelivery({ kind: 'approval-needed', hostName: 'other', threadId: 't-1' }).topic).toBe(a.topic);
  });
});
