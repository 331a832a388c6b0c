/**
 * "Set up Codex mobile" (connections-ui.md "Pairing dialog"): what remote access means, then a
 * one-use code for a phone (QR) or another computer (the link to paste), with the time left,
 * Refresh, Copy link and Show fullscreen. When the relay is one a phone cannot reach (on
 * loopback) it says so above the code and offers the relay fix. The host's pairing
 * notification turns the dialog into "You're connected".
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { errorMessage } from '../../../../../shared/util/errors';
import { Icon } from '../../../../common/views/Icon';
import { Spinner } from '../../../../common/views/States';
import { Dialog } from '../Dialog';
import { useToast } from '../toasts';
import { copyText } from './copyText';
import { KeepAwakeRow } from './KeepAwakeRow';
import { QrCode } from './QrCode';
import { RelayChoice } from './RelayChoice';
import type { ThisComputerModel } from './thisComputerModel';
import { mmss, useCountdown } from './useCountdown';

type DeviceType = 'phone' | 'computer';

export function PairingDialog({ model, open, onClose }: { readonly model: ThisComputerModel; readonly open: boolean; readonly onClose: () => void }) {
  const phase = useStore(model.pairing, (s) => s.phase);
  const view = useStore(model.remoteAccess, (s) => s.view);
  const [type, setType] = useState<DeviceType>('phone');
  const [fullscreen, setFullscreen] = useState(false);
  const toast = useToast();
  const code = phase.kind === 'ready' ? phase.code : undefined;
  const left = useCountdown(code?.expiresAtMs, () => model.pairing.getState().ranOut());

  useEffect(() => {
    if (!open) return;
    setFullscreen(false);
    void model.pairing.getState().start();
    return () => model.pairing.getState().reset();
  }, [open, model]);

  const refresh = () => void model.pairing.getState().start();
  const copy = async () => {
    if (!code) return;
    try {
      await copyText(code.link);
      toast('success', 'Link copied');
    } catch (err) {
      toast('error', `Couldn't copy the link: ${errorMessage(err)}`);
    }
  };
  const close = () => {
    if (fullscreen) setFullscreen(false);
    else onClose();
  };
  const claimed = phase.kind === 'claimed';

  return (
    <Dialog open={open} title={claimed ? "You're connected" : 'Set up Codex mobile'} onClose={close} className="pairing-dialog">
      {claimed ? (
        <Connected model={model} name={phase.device.name} kind={phase.device.kind} onDone={onClose} />
      ) : (
        <>
          <p className="dialog-lead">
            A paired device can read and change files, run commands and approve actions on this computer. Connect only devices you own and trust.
          </p>
          <div className="segmented pairing-type" role="radiogroup" aria-label="Device type">
            {(['phone', 'computer'] as const).map((t) => (
              <button key={t} type="button" role="radio" aria-checked={type === t} onClick={() => setType(t)}>
                <Icon name={t === 'phone' ? 'phone' : 'computer'} /> {t === 'phone' ? 'Phone' : 'Computer'}
              </button>
            ))}
          </div>
          {view && view.reach === 'this-computer' && type === 'phone' ? (
            <div className="notice notice-warning" role="note">
              <Icon name="alert" />
              <div>
                <div className="notice-title">A phone can't reach this relay</div>
                <div className="notice-body">
                  The relay listens on this computer only ({view.relayUrl ?? 'loopback'}). The code still works for a browser on this computer.
                </div>
                <details className="notice-details">
                  <summary>Serve the relay on this network or use a relay URL</summary>
                  <RelayChoice model={model} compact onApplied={refresh} />
                </details>
              </div>
            </div>
          ) : null}
          <div className="pairing-code" aria-live="polite">
            {phase.kind === 'loading' || phase.kind === 'idle' ? (
              <div className="pairing-placeholder">
                <Spinner label="Making a pairing code" />
              </div>
            ) : phase.kind === 'unavailable' ? (
              <div className="pairing-placeholder pairing-problem" role="alert">
                <Icon name="alert" />
                <div>Code unavailable: {phase.reason}</div>
                {view && !view.enabled ? (
                  <button type="button" className="btn btn-primary" onClick={() => void model.remoteAccess.getState().setEnabled(true).then(refresh)}>
                    Allow other devices to connect
                  </button>
                ) : (
                  <button type="button" className="btn" onClick={refresh}>
                    <Icon name="refresh" /> Try again
                  </button>
                )}
              </div>
            ) : phase.kind === 'expired' ? (
              <div className="pairing-placeholder">
                <Icon name="alert" />
                <div>{phase.reason === 'replaced' ? 'A newer code replaced this one.' : 'This code expired.'}</div>
                <button type="button" className="btn btn-primary" onClick={refresh}>
                  <Icon name="refresh" /> Refresh code
                </button>
              </div>
            ) : code ? (
              type === 'phone' ? (
                <div className="pairing-qr">
                  <QrCode text={code.link} label="Pairing QR code" />
                  <div className="pairing-hint">Scan with your phone's camera</div>
                </div>
              ) : (
                <div className="pairing-link">
                  <label className="field-label" htmlFor="pairing-link">
                    Paste this link into the other computer's Control other devices › Add
                  </label>
                  <textarea id="pairing-link" className="input pairing-link-text" readOnly value={code.link} rows={4} onFocus={(e) => e.currentTarget.select()} />
                </div>
              )
            ) : null}
          </div>
          {code ? (
            <div className="pairing-meta">
              <span className={left !== undefined && left < 60 ? 'pairing-left is-low' : 'pairing-left'} data-testid="pairing-time-left">
                {left !== undefined ? `Expires in ${mmss(left)}` : ''}
              </span>
              <div className="pairing-actions">
                {type === 'phone' ? (
                  <button type="button" className="btn" onClick={() => setFullscreen(true)}>
                    <Icon name="expand" /> Show fullscreen
                  </button>
                ) : null}
                <button type="button" className="btn" onClick={() => void copy()}>
                  <Icon name="copy" /> Copy link
                </button>
                <button type="button" className="btn" onClick={refresh}>
                  <Icon name="refresh" /> Refresh code
                </button>
              </div>
            </div>
          ) : null}
          {fullscreen && code ? (
            <div className="qr-fullscreen" data-testid="qr-fullscreen">
              <QrCode text={code.link} label="Pairing QR code, fullscreen" className="qr-large" />
              <div className="qr-fullscreen-bar">
                <span>{left !== undefined ? `Expires in ${mmss(left)}` : ''}</span>
                <button type="button" className="btn" onClick={() => setFullscreen(false)}>
                  <Icon name="x" /> Exit fullscreen
                </button>
              </div>
            </div>
          ) : null}
        </>
      )}
    </Dialog>
  );
}

function Connected({ model, name, kind, onDone }: { readonly model: ThisComputerModel; readonly name: string; readonly kind: string; readonly onDone: () => void }) {
  return (
    <div className="connected">
      <div className="connected-hero">
        <div className="connected-icon">
          <Icon name="check" />
        </div>
        <div>
          <div className="connected-name">
            <Icon name={kind === 'phone' ? 'phone' : 'computer'} /> {name}
          </div>
          <div className="settings-row-desc">can now control this computer. You can rename or revoke it in the device list at any time.</div>
        </div>
      </div>
      {model.has('power') ? (
        <div className="settings-group">
          <KeepAwakeRow model={model} />
        </div>
      ) : null}
      <p className="settings-row-desc">Computer Use and the Chrome extension are not available on this host.</p>
      <div className="dialog-footer-inline">
        <button type="button" className="btn btn-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
