/**
 * Which relay this computer registers at (connections-ui.md "Relay and listener"): the embedded
 * relay on this computer only, the embedded relay on this network (an address of this computer),
 * or a relay URL. Shows the live state; a choice is applied by the host (which keeps the old
 * relay when the new one cannot start) and the answer is what the radios then show.
 */
import { useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import type { RelayMode, RelaySetting, RemoteAccessView } from '../../../../../shared/protocol/features/remoteAccessApi';
import type { ThisComputerModel } from './thisComputerModel';

const OPTIONS: readonly { mode: RelayMode; label: string; desc: string }[] = [
  { mode: 'this-computer', label: 'This computer only', desc: 'The built-in relay on loopback: only browsers and apps on this computer can reach it.' },
  { mode: 'this-network', label: 'This network', desc: 'The built-in relay on one of this computer’s addresses: devices on the same network can reach it.' },
  { mode: 'url', label: 'A relay URL', desc: 'A relay you run elsewhere (wss://…, or ws:// on your own network).' },
];

const REACH: Record<RemoteAccessView['reach'], string> = {
  'this-computer': 'Reachable from this computer only',
  'local-network': 'Reachable from devices on this network',
  anywhere: 'Reachable wherever the relay is',
};

function same(a: RelaySetting, b: RelaySetting): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function RelayChoice({ model, compact = false, onApplied }: { readonly model: ThisComputerModel; readonly compact?: boolean; readonly onApplied?: () => void }) {
  const { view, pending, changeError } = useStore(model.remoteAccess);
  const name = useId();
  const usable = view?.addresses.filter((a) => !a.unusable) ?? [];
  const [mode, setMode] = useState<RelayMode>(view?.relay.mode ?? 'this-computer');
  const [address, setAddress] = useState('');
  const [url, setUrl] = useState('');
  // The draft follows the host's setting whenever that changes (here or from elsewhere).
  const currentKey = view ? JSON.stringify(view.relay) : '';
  useEffect(() => {
    if (!currentKey) return;
    const current = JSON.parse(currentKey) as RelaySetting;
    setMode(compact && current.mode === 'this-computer' ? 'this-network' : current.mode);
    setAddress(current.mode === 'this-network' ? current.address : '');
    setUrl(current.mode === 'url' ? current.url : '');
  }, [currentKey, compact]);
  if (!view) return null;
  const fixed = view.relayFixedBy;
  const chosenAddress = address || usable[0]?.address || '';
  const draft: RelaySetting | undefined =
    mode === 'this-computer' ? { mode } : mode === 'this-network' ? (chosenAddress ? { mode, address: chosenAddress } : undefined) : url.trim() ? { mode, url: url.trim() } : undefined;
  const changed = draft !== undefined && !same(draft, view.relay);
  const apply = async () => {
    if (draft && (await model.remoteAccess.getState().setRelay(draft))) onApplied?.();
  };
  const error = changeError?.what === 'relay' ? changeError.message : undefined;
  const options = compact ? OPTIONS.filter((o) => o.mode !== 'this-computer') : OPTIONS;
  return (
    <div className={compact ? 'relay-choice is-compact' : 'relay-choice'} data-testid={compact ? 'relay-fix' : 'relay-choice'}>
      {fixed ? <div className="row-status">Set by {fixed} on the serve command line: start the host without it to choose here.</div> : null}
      <div role="radiogroup" aria-label="Relay" className="relay-options">
        {options.map((o) => (
          <label key={o.mode} className={`relay-option${mode === o.mode ? ' is-chosen' : ''}`}>
            <input type="radio" name={name} value={o.mode} checked={mode === o.mode} disabled={!!fixed || pending === 'relay'} onChange={() => setMode(o.mode)} />
            <span className="relay-option-text">
              <span className="settings-row-title">{o.label}</span>
              {compact ? null : <span className="settings-row-desc">{o.desc}</span>}
              {o.mode === 'this-network' && mode === 'this-network' ? (
                usable.length ? (
                  <select className="select" aria-label="Address on this network" value={chosenAddress} disabled={!!fixed} onChange={(e) => setAddress(e.target.value)}>
                    {view.addresses.map((a) => (
                      <option key={a.address} value={a.address} disabled={!!a.unusable}>
                        {a.address} ({a.interface}){a.unusable ? ` — ${a.unusable}` : ''}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="row-error">This computer has no network address a device could reach.</span>
                )
              ) : null}
              {o.mode === 'url' && mode === 'url' ? (
                <input className="input" aria-label="Relay URL" placeholder="wss://relay.example.org" value={url} disabled={!!fixed} onChange={(e) => setUrl(e.target.value)} spellCheck={false} />
              ) : null}
            </span>
          </label>
        ))}
      </div>
      <div className="relay-apply">
        <button type="button" className="btn btn-primary" disabled={!changed || !!fixed || pending === 'relay'} onClick={() => void apply()}>
          {pending === 'relay' ? 'Switching relay…' : 'Use this relay'}
        </button>
        {error ? (
          <span className="row-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      {compact ? null : (
        <div className="relay-facts">
          <div>
            <span className="fact-label">Pairing links use</span> <code>{view.relayUrl ?? 'no relay yet'}</code>
          </div>
          {view.embeddedListening ? (
            <div>
              <span className="fact-label">Built-in relay listening on</span> <code>{view.embeddedListening}</code>
            </div>
          ) : null}
          <div>
            <span className="fact-label">{REACH[view.reach]}</span>
          </div>
          <div className="settings-row-desc">Devices paired through another relay address reach this computer again once it is back on that address.</div>
        </div>
      )}
    </div>
  );
}
