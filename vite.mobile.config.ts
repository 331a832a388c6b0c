/**
 * Builds the phone web client into dist/renderer/mobile (docs/mobile.md), which the relay
 * serves at `/` and `/pair` (relay/server/phoneApp.ts). Absolute base: the app is always at the
 * root of a relay origin. The service worker (`sw.js`) is its own entry with a fixed name
 * (a registration names its script's URL) and no imports, so it is one self-contained file.
 * The settings shared with the desktop build are in vite.shared.ts. `shell-assets.json` lists
 * the build's hashed files, which the worker caches when it installs, so the app opens
 * without a network even right after the first visit (renderer/mobile/sw/sw.ts).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { rendererConfig } from './vite.shared.js';

/** Emits `shell-assets.json`: every file under assets/ this build wrote (scripts, styles), as URL paths. */
function shellAssetList(): Plugin {
  return {
    name: 'codex-phone-shell-assets',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => f.startsWith('assets/') && /\.(js|css)$/.test(f))
        .sort()
        .map((f) => `/${f}`);
      this.emitFile({ type: 'asset', fileName: 'shell-assets.json', source: `${JSON.stringify(files)}\n` });
    },
  };
}

export default defineConfig(
  rendererConfig({
    app: 'mobile',
    base: '/',
    plugins: [shellAssetList()],
    rollupOptions: {
      input: { index: fileURLToPath(new URL('./renderer/mobile/index.html', import.meta.url)), sw: fileURLToPath(new URL('./renderer/mobile/sw/sw.ts', import.meta.url)) },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  }),
);
