/**
 * Self-signed certificates for tests of the relay's own TLS (docs/relay.md "HTTPS"), made with
 * the system's `openssl` (Node cannot write X.509): a P-256 key and a certificate for the
 * given names and addresses, valid for two days. Clients trust it by passing `cert` as their
 * CA (Node: `ca`, a child process: `NODE_EXTRA_CA_CERTS=certFile`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

/** Writes `cert.pem` and `key.pem` into `dir` (a new temp dir by default). */
export function makeTestCertificate(o: { readonly ips?: readonly string[]; readonly dns?: readonly string[]; readonly dir?: string; readonly commonName?: string } = {}): TestCertificate {
  const dir = o.dir ?? mkdtempSync(path.join(tmpdir(), 'relay-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const san = [...(o.ips ?? ['127.0.0.1']).map((ip) => `IP:${ip}`), ...(o.dns ?? []).map((d) => `DNS:${d}`)].join(',');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${o.commonName ?? 'codex relay test'}`, '-addext', `subjectAltName=${san}`],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
