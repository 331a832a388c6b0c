// Types for scripts/generate-icons.mjs, for the icon test.
import type { PNG } from 'pngjs';
export const RESOURCES: string;
export const LINUX_SIZES: number[];
export const ICO_SIZES: number[];
export function renderSvg(svgFile: string, size?: number, chromium?: string): PNG;
export function downscale(src: PNG, size: number): PNG;
export function icns(pngs: Map<number, Buffer>): Buffer;
export function ico(pngs: Map<number, Buffer>): Buffer;
export function buildIcons(svgFile?: string): Map<string, Buffer>;
export const MOBILE: string;
export const PHONE_ICONS: { file: string; source: string; size: number }[];
export function buildPhoneIcons(): Map<string, Buffer>;
