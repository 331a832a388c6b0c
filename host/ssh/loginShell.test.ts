import { describe, expect, it } from 'vitest';
import { isShellSafe, loginInvocation, newMarker, shellFamily } from './loginShell.js';
import { markedLines, proxyCommand, startScript, stopScript } from './remoteScripts.js';

describe('login-shell wrapping', () => {
  it('wraps each shell family the way it can run a login shell', () => {
    const m = newMarker();
    expect(m).toMatch(/^__codex_host_[0-9a-f]{16}__$/);
    expect(loginInvocation('/bin/bash', m)).toEqual({ command: "exec '/bin/bash' -l -i -c 'exec /bin/sh -s'" });
    expect(loginInvocation('/usr/bin/zsh', m)).toEqual({ command: "exec '/usr/bin/zsh' -l -i -c 'exec /bin/sh -s'" });
    expect(loginInvocation('/usr/bin/fish', m)).toEqual({ command: "exec '/usr/bin/fish' -l -i -c 'exec /bin/sh -s'" });
    expect(loginInvocation('/bin/tcsh', m)).toEqual({ command: "exec '/bin/tcsh' -l", preamble: `echo ${m} ready; exec /bin/sh -s\n` });
    expect(loginInvocation('/usr/bin/nu', m)).toEqual({ command: "exec '/usr/bin/nu' --login --interactive --commands 'exec /bin/sh -s'" });
    expect(shellFamily('/usr/local/bin/ksh93')).toBe('posix');
    expect(() => loginInvocation("/bin/we'ird", m)).toThrow(/cannot quote/);
  });

  it('keeps only marked lines, wherever the noise is', () => {
    const m = newMarker();
    const out = `Welcome!\n${m} path /usr/bin\nrc noise\nno newline before ${m} codex /usr/bin/codex\n${m} nocodex\n`;
    expect(markedLines(out, m)).toEqual([
      ['path', '/usr/bin'],
      ['codex', '/usr/bin/codex'],
      ['nocodex', ''],
    ]);
    expect(markedLines(out, newMarker())).toEqual([]);
  });

  it('only puts shell-safe values into commands', () => {
    expect(isShellSafe('/home/a/.local/bin/codex')).toBe(true);
    for (const bad of ["/x'y", '/x y', '/x\\y', '/x!y', '/x$y', '/x"y', '/x\ny', '']) expect(isShellSafe(bad)).toBe(false);
    const cmd = proxyCommand({ marker: 'MK', codexPath: '/usr/bin/codex', socketPath: '/tmp/codex-host-ab-X/engine.sock', pathEnv: '/usr/bin:/bad dir:/bin', codexHome: '/h/.codex' });
    expect(cmd).toBe(`exec /bin/sh -c 'echo MK; PATH="/usr/bin:/bin"; export PATH; CODEX_HOME="/h/.codex"; export CODEX_HOME; exec "/usr/bin/codex" app-server proxy --sock "/tmp/codex-host-ab-X/engine.sock"'`);
    expect(() => proxyCommand({ marker: 'MK', codexPath: "/c'x", socketPath: '/s', pathEnv: '', codexHome: undefined })).toThrow(/cannot be passed safely/);
    expect(() => startScript({ marker: 'MK', codexPath: '/c x', tag: 'abcdef12', waitTenths: 1 })).toThrow(/cannot be passed safely/);
    expect(() => stopScript('MK', '/home/me')).toThrow('stopScript: not an engine folder');
  });
});
