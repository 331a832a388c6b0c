/**
 * Which `Host` patterns are concrete aliases a user can pick, and which of those OpenSSH would
 * accept on its command line. Patterns (`*`, `?`) and negations (`!x`) only shape other hosts'
 * settings; they are never listed.
 */

/** True for a pattern that names exactly one host: no wildcard, no negation. */
export function isConcreteAlias(pattern: string): boolean {
  return pattern.length > 0 && !/[*?]/.test(pattern) && !pattern.startsWith('!');
}

/**
 * Why OpenSSH would refuse `alias` as a destination (its `valid_hostname()` check in ssh.c:
 * no leading '-', no whitespace or control characters, none of ' ` " $ \ ; & < > | ( ) { } ,),
 * or undefined when it is fine. We also bound the length.
 */
export function aliasProblem(alias: string): string | undefined {
  if (alias.length === 0) return 'the alias is empty';
  if (alias.length > 255) return 'the alias is longer than 255 characters';
  if (alias.startsWith('-')) return `"${alias}" starts with "-", which OpenSSH reads as an option`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f'`"$\\;&<>|(){},]/.test(alias)) return `"${printable(alias)}" contains characters OpenSSH does not accept in a host name`;
  return undefined;
}

function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 80);
}
