import { describe, expect, it } from 'vitest';
import { checkManualHost } from './manualHostFields';

const input = (o: Partial<Record<'name' | 'destination' | 'port' | 'identityFile', string>>) => ({ name: 'devbox', destination: 'alice@devbox', port: '', identityFile: '', ...o });

describe('the Add manually checks', () => {
  it('accept a name, user@host, an optional port and identity file', () => {
    expect(checkManualHost(input({}))).toEqual({ ok: true, destination: 'alice@devbox' });
    expect(checkManualHost(input({ port: ' 2222 ', identityFile: '~/.ssh/id_ed25519' }))).toEqual({ ok: true, destination: 'alice@devbox', port: 2222, identityFile: '~/.ssh/id_ed25519' });
  });

  it('refuse a port outside 1–65535, a destination without a user, a bad name, a relative key path', () => {
    for (const port of ['0', '65536', '70000', '22a', '-1']) expect(checkManualHost(input({ port }))).toEqual({ ok: false, errors: { port: 'A number from 1 to 65535' } });
    expect(checkManualHost(input({ port: '65535' })).ok).toBe(true);
    expect(checkManualHost(input({ destination: 'devbox' }))).toEqual({ ok: false, errors: { destination: 'Write it as user@host (the user is needed)' } });
    expect(checkManualHost(input({ name: 'my box' }))).toMatchObject({ ok: false, errors: { name: expect.stringContaining('Letters, digits') } });
    expect(checkManualHost(input({ name: '' }))).toMatchObject({ ok: false, errors: { name: 'Give it a name' } });
    expect(checkManualHost(input({ identityFile: 'keys/id' }))).toMatchObject({ ok: false, errors: { identityFile: 'A full path, or one that starts with ~/' } });
  });
});
