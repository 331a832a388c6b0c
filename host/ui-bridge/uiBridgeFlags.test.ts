import { describe, expect, it } from 'vitest';
import { CliError } from '../cli/cliError.js';
import { uiBridgeFromFlags } from './uiBridgeFlags.js';

describe('serve --ui / --ui-listen', () => {
  it('adds nothing without either flag', () => {
    expect(uiBridgeFromFlags({})).toBeUndefined();
    expect(uiBridgeFromFlags({ ui: false })).toBeUndefined();
  });

  it('--ui-listen alone turns the UI on', () => {
    expect(uiBridgeFromFlags({ uiListen: '127.0.0.1:8765' })?.extension.name).toBe('the browser UI');
  });

  it('a non-loopback --ui-listen is a usage error (exit 2) that names the SSH forward', () => {
    let err: unknown;
    try {
      uiBridgeFromFlags({ ui: true, uiListen: '0.0.0.0:8765' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as Error).message).toContain('ssh -L 8765:127.0.0.1:8765');
  });

  it('prints nothing before the bridge listens', () => {
    expect(uiBridgeFromFlags({ ui: true })!.bannerLines()).toEqual([]);
  });
});
