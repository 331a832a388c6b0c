/** The folder field of a "New thread" screen (desktop and phone): its suggestions and its remembered value. */

/** At most this many folders are suggested. */
const MAX_SUGGESTIONS = 12;

/** The folders to suggest, in the order given, each once, at most {@link MAX_SUGGESTIONS}. */
export function folderSuggestions(folders: Iterable<string>): string[] {
  return [...new Set(folders)].slice(0, MAX_SUGGESTIONS);
}

/** The folder last used under `key`, or '' when none is kept or storage is unavailable (private mode, blocked). */
export function readLastFolder(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}
