/**
 * Parsing `unknown` into types at trust boundaries (docs/architecture.md, "Parse at every
 * boundary"). Every boundary calls `parseUnknown(schema, value, what)`; a failure throws a
 * `SchemaParseError` whose message names the boundary and the offending paths, never the value
 * (which may carry secrets).
 */
import type { z } from 'zod';

export class SchemaParseError extends Error {
  constructor(
    readonly what: string,
    readonly issues: readonly string[],
  ) {
    super(`${what}: ${issues.join('; ')}`);
    this.name = 'SchemaParseError';
  }
}

export function parseUnknown<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new SchemaParseError(what, issues);
}

/** JSON.parse that throws a `SchemaParseError` instead of a SyntaxError carrying the input. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SchemaParseError(what, ['invalid JSON']);
  }
}
