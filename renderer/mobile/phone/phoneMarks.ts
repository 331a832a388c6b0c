/**
 * The phone app's start-up moments in the page's performance timeline (`performance.mark`), so
 * the phone benchmark (bench/phoneBench.ts) can split "navigation start → the session connects"
 * into loading the script, opening storage and loading the device key. Free when nobody reads
 * them; the session and list marks come from renderer/common/util/perfMark.ts.
 */
export type PhoneMarkName = 'codexPhone:boot' | 'codexPhone:storage' | 'codexPhone:deviceKey';

export function phoneMark(name: PhoneMarkName): void {
  try {
    globalThis.performance?.mark?.(name);
  } catch {
    // marks are diagnostics only
  }
}
