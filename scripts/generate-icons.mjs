#!/usr/bin/env node
// `npm run icons`: the app icons in resources/ from resources/icon.svg (docs/desktop.md,
// "Packaging"). Chromium (headless, /usr/bin/chromium or $CHROMIUM) renders the SVG at 1024 px
// on a transparent background; smaller sizes are box-filtered from it in premultiplied alpha
// (pngjs); icon.icns (macOS) and icon.ico (Windows) are written as containers of those PNGs.
// Outputs: icon.png (1024), icons/<n>x<n>.png (Linux), icon.icns, icon.ico. They are committed.
// The phone web app's icons come from its own SVGs (renderer/mobile/public/icon.svg, and
// renderer/mobile/icon-maskable.svg for launchers that cut their own shape, badge.svg for
// Android's notification badge) into
// renderer/mobile/public/icons/ (PHONE_ICONS): the PNGs its manifest and iOS need, committed too.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RESOURCES = join(ROOT, 'resources');
export const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
export const MOBILE = join(ROOT, 'renderer', 'mobile');
/** The phone app's PNG icons: file under renderer/mobile/public/, SVG source under renderer/mobile/, size. */
export const PHONE_ICONS = [
  { file: 'icons/icon-192.png', source: 'public/icon.svg', size: 192 },
  { file: 'icons/icon-512.png', source: 'public/icon.svg', size: 512 },
  { file: 'icons/maskable-512.png', source: 'icon-maskable.svg', size: 512 },
  // iOS ignores the manifest's icons and SVG touch icons; it rounds a full-bleed square itself.
  { file: 'icons/apple-touch-icon.png', source: 'icon-maskable.svg', size: 180 },
  // Android draws a notification's badge from its alpha channel alone: the mark on transparent.
  { file: 'icons/badge-96.png', source: 'badge.svg', size: 96 },
];

/** Renders `svgFile` to a `size`×`size` PNG with Chromium; returns the decoded image. */
export function renderSvg(svgFile, size = 1024, chromium = process.env.CHROMIUM || '/usr/bin/chromium') {
  const work = mkdtempSync(join(tmpdir(), 'icon-render-'));
  try {
    const html = join(work, 'icon.html');
    writeFileSync(html, `<!doctype html><html><body style="margin:0;background:transparent"><img src="${pathToFileURL(svgFile)}" width="${size}" height="${size}" style="display:block"></body></html>`);
    const out = join(work, 'out.png');
    const r = spawnSync(
      chromium,
      ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1', `--user-data-dir=${join(work, 'profile')}`, '--default-background-color=00000000', `--window-size=${size},${size}`, `--screenshot=${out}`, pathToFileURL(html).href],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (r.status !== 0) throw new Error(`chromium could not render ${svgFile}: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`);
    const png = PNG.sync.read(readFileSync(out));
    if (png.width !== size || png.height !== size) throw new Error(`chromium rendered ${png.width}x${png.height}, not ${size}x${size}`);
    return png;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Area-average downscale of a square RGBA image (premultiplied, so transparent edges stay clean). */
export function downscale(src, size) {
  const out = new PNG({ width: size, height: size });
  const f = src.width / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0, n = 0;
      for (let sy = Math.floor(y * f); sy < Math.floor((y + 1) * f); sy++) {
        for (let sx = Math.floor(x * f); sx < Math.floor((x + 1) * f); sx++) {
          const i = (sy * src.width + sx) * 4;
          const alpha = src.data[i + 3] / 255;
          r += src.data[i] * alpha;
          g += src.data[i + 1] * alpha;
          b += src.data[i + 2] * alpha;
          a += alpha;
          n++;
        }
      }
      const o = (y * size + x) * 4;
      out.data[o] = a ? Math.round(r / a) : 0;
      out.data[o + 1] = a ? Math.round(g / a) : 0;
      out.data[o + 2] = a ? Math.round(b / a) : 0;
      out.data[o + 3] = Math.round((a / n) * 255);
    }
  }
  return out;
}

/** An .icns file: 'icns', total length, then (type, length, PNG) entries (big-endian). */
export function icns(pngs) {
  const entries = ICNS_TYPES.map(([type, size]) => {
    const data = pngs.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

/** An .ico file with PNG-compressed images (Windows Vista and later). */
export function ico(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(ICO_SIZES.length, 4);
  const dir = Buffer.alloc(16 * ICO_SIZES.length);
  let offset = header.length + dir.length;
  ICO_SIZES.forEach((size, i) => {
    const data = pngs.get(size);
    const e = i * 16;
    dir.writeUInt8(size >= 256 ? 0 : size, e);
    dir.writeUInt8(size >= 256 ? 0 : size, e + 1);
    dir.writeUInt8(0, e + 2);
    dir.writeUInt8(0, e + 3);
    dir.writeUInt16LE(1, e + 4);
    dir.writeUInt16LE(32, e + 6);
    dir.writeUInt32LE(data.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, dir, ...ICO_SIZES.map((s) => pngs.get(s))]);
}

/** Every icon file, keyed by its path under resources/. */
export function buildIcons(svgFile = join(RESOURCES, 'icon.svg')) {
  const full = renderSvg(svgFile, 1024);
  const sizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])];
  const pngs = new Map(sizes.map((s) => [s, PNG.sync.write(s === 1024 ? full : downscale(full, s))]));
  const files = new Map([
    ['icon.png', pngs.get(1024)],
    ['icon.icns', icns(pngs)],
    ['icon.ico', ico(pngs)],
  ]);
  for (const s of LINUX_SIZES) files.set(`icons/${s}x${s}.png`, pngs.get(s));
  return files;
}

/** The phone app's icons, keyed by their path under renderer/mobile/public/. */
export function buildPhoneIcons() {
  const rendered = new Map();
  const files = new Map();
  for (const { file, source, size } of PHONE_ICONS) {
    if (!rendered.has(source)) rendered.set(source, renderSvg(join(MOBILE, source), 1024));
    files.set(file, PNG.sync.write(downscale(rendered.get(source), size)));
  }
  return files;
}

function main() {
  mkdirSync(join(RESOURCES, 'icons'), { recursive: true });
  for (const [rel, data] of buildIcons()) {
    writeFileSync(join(RESOURCES, rel), data);
    console.log(`resources/${rel}  ${data.length} bytes`);
  }
  mkdirSync(join(MOBILE, 'public', 'icons'), { recursive: true });
  for (const [rel, data] of buildPhoneIcons()) {
    writeFileSync(join(MOBILE, 'public', rel), data);
    console.log(`renderer/mobile/public/${rel}  ${data.length} bytes`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
