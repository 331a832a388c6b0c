/**
 * The phone's storage (docs/mobile.md "What the phone keeps"): one IndexedDB database of this
 * origin with a key-value object store. IndexedDB rather than localStorage because it holds
 * structured values, including a non-extractable WebCrypto `CryptoKey` (the device key), and
 * works outside secure contexts too (the plain-http LAN case). Values read back are untrusted
 * input: callers parse them (style.md G2).
 */

/** The few operations the phone needs; an in-memory one backs unit tests. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

const DB_NAME = 'codex-host-phone';
const STORE = 'kv';

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** IndexedDB of this origin; rejects when the browser refuses storage (some private modes). */
export async function openIndexedDbStore(name = DB_NAME): Promise<KeyValueStore> {
  if (typeof indexedDB === 'undefined') throw new Error('this browser has no IndexedDB, so this phone cannot remember hosts');
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  const db = await promised(open);
  const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => promised(fn(db.transaction(STORE, mode).objectStore(STORE)));
  return {
    get: (key) => run('readonly', (s) => s.get(key)),
    set: async (key, value) => {
      await run('readwrite', (s) => s.put(value, key));
    },
    delete: async (key) => {
      await run('readwrite', (s) => s.delete(key));
    },
  };
}

/** A store that forgets everything on reload (unit tests, and a browser that refuses IndexedDB). */
export function memoryStore(): KeyValueStore & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: (key) => Promise.resolve(structuredClone(data.get(key))),
    set: (key, value) => {
      data.set(key, structuredClone(value));
      return Promise.resolve();
    },
    delete: (key) => {
      data.delete(key);
      return Promise.resolve();
    },
  };
}
