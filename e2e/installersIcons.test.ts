/**
 * The app icons in resources/ (scripts/generate-icons.mjs): each committed file is what its
 * platform expects — PNGs of the named sizes, an .icns whose entries are PNGs of their declared
 * sizes, an .ico whose directory matches its PNG images — and they are in step with the SVG
 * source: Chromium renders resources/icon.svg again and it matches icon.png. The phone web app's
 * PNG icons (renderer/mobile/public/icons/) likewise match their SVGs rendered again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { buildPhoneIcons, ICO_SIZES, LINUX_SIZES, MOBILE, PHONE_ICONS, renderSvg, RESOURCES } from '../scripts/generate-icons.mjs';

const png = (buf: Buffer) => PNG.sync.read(buf);

describe('the app icons', () => {
  it('are PNGs of every Linux size, square, with transparent corners', () => {
    for (const s of LINUX_SIZES) {
      const img = png(readFileSync(join(RESOURCES, 'icons', `${s}x${s}.png`)));
      expect([img.width, img.height]).toEqual([s, s]);
      expect(img.data[3]).toBe(0); // the top-left pixel is outside the rounded tile
      const mid = ((s / 2) * s + s / 2) * 4;
      expect(img.data[mid + 3]).toBe(255);
    }
    expect(png(readFileSync(join(RESOURCES, 'icon.png'))).width).toBe(1024);
  });

  it('have an .icns with PNG entries of the sizes their types declare', () => {
    const f = readFileSync(join(RESOURCES, 'icon.icns'));
    expect(f.toString('ascii', 0, 4)).toBe('icns');
    expect(f.readUInt32BE(4)).toBe(f.length);
    const want: Record<string, number> = { icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024 };
    const seen: Record<string, number> = {};
    for (let off = 8; off < f.length; ) {
      const type = f.toString('ascii', off, off + 4);
      const len = f.readUInt32BE(off + 4);
      seen[type] = png(f.subarray(off + 8, off + len)).width;
      off += len;
    }
    expect(seen).toEqual(want);
  });

  it('have an .ico whose directory matches its PNG images', () => {
    const f = readFileSync(join(RESOURCES, 'icon.ico'));
    expect([f.readUInt16LE(0), f.readUInt16LE(2), f.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    const sizes: number[] = [];
    for (let i = 0; i < ICO_SIZES.length; i++) {
      const e = 6 + i * 16;
      const declared = f.readUInt8(e) || 256;
      const img = png(f.subarray(f.readUInt32LE(e + 12), f.readUInt32LE(e + 12) + f.readUInt32LE(e + 8)));
      expect(img.width).toBe(declared);
      expect(f.readUInt16LE(e + 6)).toBe(32);
      sizes.push(declared);
    }
    expect(sizes).toEqual(ICO_SIZES);
  });

  it('match the SVG source (rendered again by Chromium)', () => {
    const fresh = renderSvg(join(RESOURCES, 'icon.svg'), 1024);
    const committed = png(readFileSync(join(RESOURCES, 'icon.png')));
    let diff = 0;
    for (let i = 0; i < fresh.data.length; i++) diff += Math.abs(fresh.data[i]! - committed.data[i]!);
    // Anti-aliasing may differ by a level here and there between Chromium builds; a changed SVG differs by far more.
    expect(diff / fresh.data.length).toBeLessThan(1);
  }, 120_000);

  it('include the phone app’s PNG icons, each of its size and in step with its SVG', () => {
    const fresh = buildPhoneIcons();
    expect([...fresh.keys()].sort()).toEqual(PHONE_ICONS.map((i) => i.file).sort());
    for (const { file, size } of PHONE_ICONS) {
      const committed = png(readFileSync(join(MOBILE, 'public', file)));
      expect([file, committed.width, committed.height]).toEqual([file, size, size]);
      const again = png(fresh.get(file)!);
      let diff = 0;
      for (let i = 0; i < again.data.length; i++) diff += Math.abs(again.data[i]! - committed.data[i]!);
      expect(diff / again.data.length).toBeLessThan(1);
    }
  }, 120_000);
});
