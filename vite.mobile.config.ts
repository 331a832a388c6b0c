/**
 * Builds the phone web client into dist/renderer/mobile (docs/mobile.md), which the relay
 * serves at `/` and `/pair` (relay/server/phoneApp.ts). Absolute base: the app is always at the
 * root of a relay origin. The service worker (`sw.js`) is its own entry with a fixed name
 * (a registration names its script's URL) and no imports, so it is one self-contained file.
 * The settings shared with the desktop build are in vite.shared.ts. The worker gets the list
 * of the build's hashed files written in, and caches them when it installs, so the app opens
 * without a network even right after the first visit (renderer/mobile/sw/sw.ts).
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { rendererConfig } from './vite.shared.js';

/**
 * Writes this build's scripts and styles, and an id made from them, into `sw.js` (its
 * placeholders, renderer/mobile/sw/sw.ts): a build with other files is then a new worker, which
 * installs, caches exactly them, and drops the cache of the build before.
 */
function shellAssetList(): Plugin {
  return {
    name: 'codex-phone-shell-assets',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => f.startsWith('assets/') && /\.(js|css)$/.test(f))
        .sort()
        .map((f) => `/${f}`);
      const sw = bundle['sw.js'];
      if (!sw || sw.type !== 'chunk') throw new Error('the phone build has no sw.js chunk');
      const id = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const assets = /\[\s*(["'`])__CODEX_PHONE_BUILD_ASSETS__\1\s*\]/;
      // The id may be folded into the strings that use it (the cache name): replace it wherever it is (hex is safe in any string).
      const build = '__CODEX_PHONE_BUILD_ID__';
      if (!assets.test(sw.code) || !sw.code.includes(build)) throw new Error('sw.js lost its build placeholders (__CODEX_PHONE_BUILD_ASSETS__, __CODEX_PHONE_BUILD_ID__)');
      sw.code = sw.code.replace(assets, JSON.stringify(files)).replaceAll(build, id);
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
