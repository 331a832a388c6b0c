import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileRefusedError, readBoundedFile, readBoundedFileSync } from './boundedRead.js';

const dir = mkdtempSync(join(tmpdir(), 'bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bounded reads of trusted files', () => {
  it('reads a regular file up to the bound exactly, with its mode', async () => {
    const f = join(dir, 'ok');
    writeFileSync(f, 'x'.repeat(100));
    chmodSync(f, 0o640);
    expect(readBoundedFileSync(f, 100)).toEqual({ bytes: new Uint8Array(Buffer.from('x'.repeat(100))), mode: 0o640 });
    await expect(readBoundedFile(f, 100)).resolves.toMatchObject({ mode: 0o640 });
    expect((await readBoundedFile(f, 100)).bytes).toHaveLength(100);
  });

  it('refuses a file one byte over the bound, without reading it whole', async () => {
    const f = join(dir, 'big');
    writeFileSync(f, 'x'.repeat(200_001));
    expect(() => readBoundedFileSync(f, 200_000)).toThrow(new FileRefusedError(f, 'is larger than 200000 bytes'));
    await expect(readBoundedFile(f, 200_000)).rejects.toThrow(`${f}: is larger than 200000 bytes`);
  });

  it('refuses /dev/zero (stat size 0, endless content) at once', async () => {
    const t0 = Date.now();
    expect(() => readBoundedFileSync('/dev/zero', 64 * 1024)).toThrow('/dev/zero: is not a regular file (it is a character device)');
    await expect(readBoundedFile('/dev/zero', 4 << 20)).rejects.toThrow('/dev/zero: is not a regular file (it is a character device)');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('refuses a directory and passes ENOENT through with its code', async () => {
    expect(() => readBoundedFileSync(dir, 10)).toThrow(`${dir}: is not a regular file (it is a directory)`);
    await expect(readBoundedFile(join(dir, 'missing'), 10)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
