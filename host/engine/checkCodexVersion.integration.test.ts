/**
 * `checkCodexVersion` with its default runner: real programs started as child processes (the
 * policy itself is unit-tested with a scripted runner in checkCodexVersion.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkCodexVersion } from './checkCodexVersion.js';

describe('checkCodexVersion with real programs', () => {
  it('runs a real program and reports that it is not codex', async () => {
    await expect(checkCodexVersion(process.execPath)).rejects.toThrow(/does not look like codex: .*got "v\d+\./);
    await expect(checkCodexVersion('/definitely/not/here/codex')).rejects.toThrow(/cannot run "\/definitely\/not\/here\/codex --version"/);
  });
});
