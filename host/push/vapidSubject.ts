/**
 * The VAPID contact subject (RFC 8292 §2.1): how a push service operator reaches whoever runs
 * this host — a `mailto:` address or an `https:` URL. A required setting: the host refuses to
 * send until one is set. `localhost` URLs are refused because Apple's push service rejects
 * them (BadJwtToken).
 */
export const MAX_SUBJECT_CHARS = 256;

/** Why `subject` is not acceptable, or undefined if it is. */
export function vapidSubjectProblem(subject: string): string | undefined {
  if (subject.length === 0) return 'the contact subject must not be empty';
  if (subject.length > MAX_SUBJECT_CHARS) return `the contact subject must be at most ${MAX_SUBJECT_CHARS} characters`;
  if (/[\s\p{Cc}]/u.test(subject)) return 'the contact subject must not contain spaces or control characters';
  if (subject.startsWith('mailto:')) {
    return /^mailto:[^@/?#]+@[^@/?#.]+(\.[^@/?#.]+)+$/.test(subject) ? undefined : 'the contact subject must be mailto:user@domain';
  }
  if (subject.startsWith('https:')) {
    let url: URL;
    try {
      url = new URL(subject);
    } catch {
      return 'the contact subject is not a valid https: URL';
    }
    if (!url.hostname || url.hostname === 'localhost') return 'the contact subject must be a public https: URL (not localhost)';
    return undefined;
  }
  return 'the contact subject must be a mailto: address or an https: URL';
}
