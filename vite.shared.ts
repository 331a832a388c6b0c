/**
 * The Vite settings both renderer builds share (vite.config.ts, vite.mobile.config.ts):
 * `renderer/<app>/` built into `dist/renderer/<app>`. Each config keeps only what differs
 * (its base and, for the phone, the service worker entry).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { BuildOptions, PluginOption, UserConfig } from 'vite';

export interface RendererBuild {
  /** The folder under renderer/ and dist/renderer/. */
  readonly app: 'desktop' | 'mobile';
  readonly base: string;
  readonly rollupOptions?: BuildOptions['rollupOptions'];
  /** Plugins of this app's build only (after React's). */
  readonly plugins?: readonly PluginOption[];
}

/** The config for one renderer app. */
export function rendererConfig(o: RendererBuild): UserConfig {
  return {
    root: fileURLToPath(new URL(`./renderer/${o.app}/`, import.meta.url)),
    base: o.base,
    plugins: [react(), ...(o.plugins ?? [])],
    logLevel: 'warn',
    build: {
      outDir: fileURLToPath(new URL(`./dist/renderer/${o.app}`, import.meta.url)),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      // One file per lazy chunk; the HTML references only the entry (no inline scripts: CSP script-src 'self').
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      chunkSizeWarningLimit: 1024,
      ...(o.rollupOptions ? { rollupOptions: o.rollupOptions } : {}),
    },
  };
}
