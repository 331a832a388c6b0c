/**
 * Add: paste the pairing link another host shows (`codex-host pair` there, or its Settings >
 * Connections > Control this computer). The host pairs with it as a controller of kind `host`;
 * what it refuses (expired, used, offline, this computer's own link) is shown as it says it,
 * and the dialog stays open with the link so it can be fixed or replaced.
 */
import { useState } from 'react';
import type { RemoteInfo } from '../../../../../shared/protocol/features/remotesApi';
import { SshDialog } from '../ssh/SshDialog';
import type { RemotesStore } from './remotesStore';
import { FormFooter } from '../FormFooter';

/** Links are `https://…/pair#p=…` (http for loopback and LAN relays); anything else is caught before asking the host. */
const LINK_SHAPE = /^https?:\/\/\S+\/pair#p=\S+$/;

export function AddRemoteDialog({ store, onClose, onAdded }: { readonly store: RemotesStore; readonly onClose: () => void; readonly onAdded: (r: RemoteInfo) => void }) {
  const [link, setLink] = useState('');
  const [hint, setHint] = useState<string | undefined>();
  const [refusal, setRefusal] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  return (
    <SshDialog title="Add a device to control" onClose={onClose} testId="remote-add">
      <form
        className="ssh-form"
        aria-label="Add a device"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const text = link.trim();
          if (!text) return setHint('Paste the link first.');
          if (!LINK_SHAPE.test(text)) return setHint('This is not a pairing link: it looks like https://…/pair#p=…');
          setHint(undefined);
          setRefusal(undefined);
          setAdding(true);
          try {
            onAdded(await store.getState().add(text));
          } catch (err) {
            setRefusal((err as Error).message);
          } finally {
            setAdding(false);
          }
        }}
      >
        <p className="ssh-note od-intro">
          On the other device, open Settings › Connections › Control this computer, or run <code>codex-host pair</code>, and paste the link it shows. Its
          threads then open here, and it lists this computer among its devices.
        </p>
        <label className="ssh-field">
          <span className="field-label">Pairing link</span>
          <textarea
            className="input od-link"
            name="link"
            rows={3}
            placeholder="https://relay.example.com/pair#p=…"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={hint ? true : undefined}
            value={link}
            onChange={(e) => {
              setLink(e.target.value);
              setHint(undefined);
            }}
          />
          {hint ? <span className="ssh-field-error">{hint}</span> : <span className="ssh-field-hint">A link works once and for a few minutes.</span>}
        </label>
        <FormFooter refusal={refusal} onCancel={onClose} submitLabel={adding ? 'Connecting…' : 'Add device'} submitDisabled={adding} />
      </form>
    </SshDialog>
  );
}
