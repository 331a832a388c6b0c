/**
 * How a push request reaches the push service (RFC 8030 §5): one HTTP POST. The `web-push`
 * library builds the request (VAPID JWT, RFC 8291 encryption, TTL/Urgency/Topic headers);
 * this port sends it, so the notifier can be tested without sockets and the loopback test
 * stand-in can be reached over plain http (which `web-push`'s own sender cannot do).
 */
import http from 'node:http';
import https from 'node:https';

export interface PushRequest {
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface PushResponse {
  readonly status: number;
  /** `Retry-After` in seconds, when the service sent one. */
  readonly retryAfterSeconds?: number;
}

export interface PushTransport {
  /** Resolves with the HTTP status; rejects on a network failure or timeout. */
  send(request: PushRequest): Promise<PushResponse>;
}

export const PUSH_REQUEST_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 16 * 1024;

/** The real transport: `node:https` (or `node:http` for loopback endpoints). */
export class HttpPushTransport implements PushTransport {
  readonly #timeoutMs: number;

  constructor(options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? PUSH_REQUEST_TIMEOUT_MS;
  }

  send(request: PushRequest): Promise<PushResponse> {
    const url = new URL(request.endpoint);
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method: 'POST', headers: request.headers, timeout: this.#timeoutMs }, (res) => {
        let seen = 0;
        // Drain (bounded) so the socket can be reused; the body is not needed.
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => resolve(toResponse(res.statusCode ?? 0, res.headers['retry-after']));
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
      req.on('error', reject);
      req.end(request.body);
    });
  }
}

function toResponse(status: number, retryAfter: string | string[] | undefined): PushResponse {
  const value = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  const seconds = value !== undefined && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
  return seconds !== undefined ? { status, retryAfterSeconds: seconds } : { status };
}
