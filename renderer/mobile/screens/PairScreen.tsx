/**
 * Pairing (docs/mobile.md "Pairing"): the link's host name, key fingerprint and relay, a
 * countdown of the code's validity, then Pair. Every way it can fail has its own screen with
 * what to do (expired, used, not a pairing link, host offline, a host that cannot prove its
 * key). `AddHostScreen` is the same for a pasted link.
 */
import { useEffect, useState } from 'react';
import { Icon } from '../../common/views/Icon';
import { Spinner } from '../../common/views/States';
import { previewLink, type PairFailure } from '../phone/pairingPreview';
import { goBack, navigate, usePhoneEnv } from '../phoneContext';
import { AppBar, FullState, IconButton } from './parts';

function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(t);
  }, [periodMs]);
  return now;
}

function remaining(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function FailureView({ failure, onDone, onRetry }: { readonly failure: PairFailure; readonly onDone: () => void; readonly onRetry?: () => void }) {
  return (
    <FullState
      icon={failure.kind === 'offline' ? 'plug' : 'alert'}
      tone={failure.kind === 'offline' ? 'warning' : 'danger'}
      title={failure.title}
      testId="pair-failure"
      actions={
        <>
          {onRetry ? (
            <button type="button" className="btn btn-primary btn-lg" onClick={onRetry}>
              Try again
            </button>
          ) : null}
          <button type="button" className="btn btn-lg" onClick={onDone}>
            {onRetry ? 'Cancel' : 'Done'}
          </button>
        </>
      }
    >
      <p data-testid="pair-failure-kind" data-kind={failure.kind}>
        {failure.body}
      </p>
    </FullState>
  );
}

/** The pairing screen for one link's text; `onDone` leaves it (cancel, or after success with the host id). */
export function PairScreen({ linkText, onDone }: { readonly linkText: string; readonly onDone: (hostId?: string) => void }) {
  const env = usePhoneEnv();
  const [stage, setStage] = useState<{ kind: 'preview' } | { kind: 'pairing' } | { kind: 'failed'; failure: PairFailure }>({ kind: 'preview' });
  const now = useNow(1000);
  const preview = previewLink(linkText, stage.kind === 'preview' ? now : Date.now());
  const known = preview.ok ? env.hosts.record(preview.link.hostId) : undefined;

  const pair = async () => {
    if (!preview.ok) return;
    setStage({ kind: 'pairing' });
    const out = await env.hosts.pair(preview.link);
    if (out.ok) onDone(out.hostId);
    else setStage({ kind: 'failed', failure: out.failure });
  };

  let body;
  if (!preview.ok) body = <FailureView failure={preview.failure} onDone={() => onDone()} />;
  else if (stage.kind === 'failed') body = <FailureView failure={stage.failure} onDone={() => onDone()} onRetry={stage.failure.kind === 'offline' || stage.failure.kind === 'network' ? () => void pair() : undefined} />;
  else {
    const { link, fingerprint, relayOrigin, expiresAtMs } = preview;
    const pairing = stage.kind === 'pairing';
    body = (
      <div className="pair" data-testid="pair-preview">
        <div className="pair-hero">
          <span className="pair-hero-icon" aria-hidden="true">
            <Icon name="computer" />
          </span>
          <h2 className="pair-title" {...{ elementtiming: 'pair-preview' }}>
            Pair with <bdi data-testid="pair-host-name">{link.name}</bdi>?
          </h2>
          <p className="pair-lead">This phone will be able to read and start threads on this computer and answer its approvals.</p>
        </div>
        <dl className="facts">
          <div>
            <dt>Key fingerprint</dt>
            <dd className="mono" data-testid="pair-fingerprint">
              {fingerprint}
            </dd>
          </div>
          <div>
            <dt>Relay</dt>
            <dd className="ellipsis">{relayOrigin}</dd>
          </div>
          <div>
            <dt>Code valid for</dt>
            <dd>{remaining(expiresAtMs - now)}</dd>
          </div>
        </dl>
        <p className="fine-print">Compare the fingerprint with the one the computer shows (<code>codex-host status</code>). Nothing is sent until you tap Pair.</p>
        {known ? <div className="notice">This phone was paired with {known.trusted.name} before. Pairing again replaces that pairing.</div> : null}
        {!env.crypto.secureContext ? <div className="notice notice-warning">This page was opened over plain http: the session is still end-to-end encrypted, but notifications need https.</div> : null}
        <div className="pair-actions">
          <button type="button" className="btn btn-primary btn-lg" onClick={() => void pair()} disabled={pairing} data-testid="pair-confirm">
            {pairing ? (
              <>
                <Spinner label="Pairing" /> Pairing…
              </>
            ) : (
              'Pair'
            )}
          </button>
          <button type="button" className="btn btn-lg btn-ghost" onClick={() => onDone()} disabled={pairing}>
            Cancel
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="screen" data-testid="pair-screen">
      <AppBar title="Pair a computer" start={<IconButton icon="x" label="Cancel" onClick={() => onDone()} />} />
      <div className="screen-scroll">{body}</div>
    </div>
  );
}

/** "Add a computer": paste the pairing link (the camera's QR scanner opens it directly instead). */
export function AddHostScreen() {
  const [text, setText] = useState('');
  const [submitted, setSubmitted] = useState<string | undefined>();
  if (submitted) return <PairScreen linkText={submitted} onDone={(hostId) => (hostId ? navigate({ kind: 'host', hostId }, true) : setSubmitted(undefined))} />;
  return (
    <div className="screen" data-testid="add-screen">
      <AppBar title="Add a computer" start={<IconButton icon="back" label="Back" onClick={() => goBack({ kind: 'home' })} />} />
      <div className="screen-scroll">
        <div className="pair">
          <p className="pair-lead">
            Scan the pairing code on the computer with this phone’s camera: the link opens here by itself. Or copy the link (<code>codex-host pair</code> prints it) and paste it below.
          </p>
          <label className="field-label" htmlFor="pair-link">
            Pairing link
          </label>
          <textarea
            id="pair-link"
            className="input link-input"
            rows={4}
            placeholder="https://…/pair#p=…"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            data-testid="pair-link-input"
          />
          <div className="pair-actions">
            <button type="button" className="btn btn-primary btn-lg" disabled={!text.trim()} onClick={() => setSubmitted(text.trim())}>
              Continue
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
