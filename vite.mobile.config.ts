/**
 * Builds the phone web client into dist/renderer/mobile (docs/mobile.md), which the relay
 * serves at `/` and `/pair` (relay/server/phoneApp.ts). Absolute base: the app is always at the
 * root of a relay origin. The service worker (`sw.js`) is its own entry with a fixed name
 * (a registration names its script's URL) and no imports, so it is one self-contained file.
 * The settings shared with the desktop build are in vite.shared.ts.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { rendererConfig } from './vite.shared.js';

export default defineConfig(
  rendererConfig({
    app: 'mobile',
    base: '/',
    rollupOptions: {
      input: { index: fileURLToPath(new URL('./renderer/mobile/index.html', import.meta.url)), sw: fileURLToPath(new URL('./renderer/mobile/sw/sw.ts', import.meta.url)) },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  }),
);
