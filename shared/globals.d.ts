/**
 * The globals that exist in every environment shared/ runs in (Node >= 20, Chromium, Electron
 * renderer). shared/ compiles with `lib: ["ES2023"]` and no `@types/node`, so anything not
 * declared here (Buffer, process, window, document) is a type error, which keeps shared/
 * portable by construction. Keep this list minimal.
 */
declare function setTimeout(handler: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function setInterval(handler: () => void, ms?: number): unknown;
declare function clearInterval(handle: unknown): void;
declare function queueMicrotask(cb: () => void): void;

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}

declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};

declare const crypto: {
  getRandomValues<T extends Uint8Array>(array: T): T;
};

declare function btoa(data: string): string;
declare function atob(data: string): string;
