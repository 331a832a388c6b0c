import { describe, expect, it } from 'vitest';
import { notificationOf } from './pushMessage';

describe('what a push message shows', () => {
  it('shows the host’s title and body and opens the thread', () => {
    const url = `/#/hosts/${'a'.repeat(32)}/threads/t1`;
    expect(notificationOf(JSON.stringify({ title: 'Approval needed', body: 'Build Box: Codex is waiting for your approval', url }))).toEqual({ title: 'Approval needed', body: 'Build Box: Codex is waiting for your approval', url });
  });

  it('still shows a notification for a message it cannot read (every push must show one)', () => {
    for (const data of [undefined, '', 'not json', '42', 'null', '{}']) {
      const n = notificationOf(data);
      expect(n.title).toBe('Codex Host');
      expect(n.body).not.toBe('');
      expect(n.url).toBe('/');
    }
  });

  it('never opens another site', () => {
    for (const url of ['https://evil.example/', '//evil.example/x', 'javascript:alert(1)', '/\\evil.example', 'x', '/pair#p=abc', '/push/abc/', '/#/a b']) {
      expect(notificationOf(JSON.stringify({ title: 't', body: 'b', url })).url).toBe('/');
    }
  });

  it('bounds what it shows', () => {
    const n = notificationOf(JSON.stringify({ title: 'T'.repeat(1000), body: 'B'.repeat(5000), url: '/' }));
    expect(n.title.length).toBe(120);
    expect(n.body.length).toBe(300);
  });
});
