/**
 * Builds the desktop renderer into dist/renderer/desktop (served by `codex-host serve --ui`,
 * later loaded by Electron from file://, hence the relative base). The syntax highlighter is
 * a separate chunk loaded on first use (renderer/common/markdown/highlight.ts). The settings
 * shared with the phone build are in vite.shared.ts.
 */
import { defineConfig } from 'vite';
import { rendererConfig } from './vite.shared.js';

export default defineConfig(rendererConfig({ app: 'desktop', base: './' }));
