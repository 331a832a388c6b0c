/**
 * Builds the phone web client into dist/renderer/mobile (docs/mobile.md), which the relay
 * serves at `/` and `/pair` (relay/server/phoneApp.ts). Absolute base: the app is always at the
 * root of a relay origin. The service worker (`sw.js`) is its own entry with a fixed name
 * (a registration names its script's URL) and no imports, so it is one self-contained file.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer/mobile/', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer/mobile', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: { index: fileURLToPath(new URL('./renderer/mobile/index.html', import.meta.url)), sw: fileURLToPath(new URL('./renderer/mobile/sw/sw.ts', import.meta.url)) },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});
