/**
 * Builds the desktop renderer into dist/renderer/desktop (served by `codex-host serve --ui`,
 * later loaded by Electron from file://, hence the relative base). The syntax highlighter is
 * a separate chunk loaded on first use (renderer/common/markdown/highlight.ts).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer/desktop/', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer/desktop', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // One file per lazy chunk; the HTML references only the entry (no inline scripts: CSP script-src 'self').
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
});
