/**
 * "Devices that can control this computer" (connections-ui.md): one row per trusted device with
 * its kind, name (renamed inline: Enter saves, Esc cancels, an empty name is refused),
 * platform, "Connected now" or when it last connected, and when it was paired; a phone's
 * Notifications switch (DevicePushLine.tsx); "Revoke access" asks first. Results come back as
 * toasts. Kept live by the host's device notifications.
 */
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { TrustedDevice } from '../../../../../shared/protocol/hostSchemas';
import { Icon } from '../../../../common/views/Icon';
import { LoadingState } from '../../../../common/views/States';
import { relativeTime } from '../../../../common/util/format';
import { Dialog } from '../Dialog';
import { DevicePushLine } from './DevicePushLine';
import { useToast } from '../toasts';
import type { ThisComputerModel } from './thisComputerModel';

/** "Last connected 5m ago", "Connected now", "Never connected". */
export function lastConnected(d: TrustedDevice, nowMs: number = Date.now()): string {
  if (d.connected > 0) return 'Connected now';
  if (!d.lastSeen) return 'Never connected';
  const r = relativeTime(Date.parse(d.lastSeen) / 1000, nowMs);
  return r === 'just now' ? 'Last connected just now' : /^\d+[mhd]$/.test(r) ? `Last connected ${r} ago` : `Last connected ${r}`;
}

const PLATFORMS: Record<string, string> = { ios: 'iOS', ipados: 'iPadOS', android: 'Android', macos: 'macOS', darwin: 'macOS', windows: 'Windows', win32: 'Windows', linux: 'Linux', web: 'Browser' };

/** "iOS" for `ios`; unknown platforms as the device named them. */
export function platformLabel(platform: string): string {
  return PLATFORMS[platform.toLowerCase()] ?? platform;
}

export function pairedOn(d: TrustedDevice): string {
  return `Paired ${new Date(d.pairedAt).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })}`;
}

export function DevicesList({ model }: { readonly model: ThisComputerModel }) {
  const { phase, devices, error, problem } = useStore(model.devices);
  const [revoking, setRevoking] = useState<TrustedDevice | undefined>(undefined);
  const toast = useToast();
  if (phase === 'loading') return <LoadingState label="Loading devices…" />;
  if (phase === 'error')
    return (
      <div className="inline-state inline-error" role="alert">
        <Icon name="alert" />
        <div className="inline-state-text">
          <div className="settings-row-title">Couldn't load devices</div>
          <div className="settings-row-desc">{error}</div>
        </div>
        <button type="button" className="btn" onClick={() => void model.devices.getState().load()}>
          <Icon name="refresh" /> Retry
        </button>
      </div>
    );
  const confirmRevoke = async () => {
    const d = revoking;
    setRevoking(undefined);
    if (!d) return;
    const failed = await model.devices.getState().revoke(d.deviceId);
    if (failed) toast('error', `Couldn't revoke access for ${d.name}: ${failed}`);
    else toast('success', `Access revoked for ${d.name}`);
  };
  return (
    <>
      {problem ? (
        <div className="notice notice-warning" role="note">
          <Icon name="alert" />
          <div className="notice-body">{problem}</div>
        </div>
      ) : null}
      {devices.length === 0 ? (
        <div className="inline-state" data-testid="devices-empty">
          <Icon name="phone" />
          <div className="settings-row-desc">No device can control this computer yet</div>
        </div>
      ) : (
        <ul className="settings-group device-list" aria-label="Devices that can control this computer">
          {devices.map((d) => (
            <DeviceRow key={d.deviceId} model={model} device={d} onRevoke={() => setRevoking(d)} />
          ))}
        </ul>
      )}
      <Dialog
        open={revoking !== undefined}
        title={`Revoke access for ${revoking?.name ?? ''}?`}
        onClose={() => setRevoking(undefined)}
        footer={
          <>
            <button type="button" className="btn" onClick={() => setRevoking(undefined)}>
              Cancel
            </button>
            <button type="button" className="btn btn-danger-solid" onClick={() => void confirmRevoke()}>
              Revoke access
            </button>
          </>
        }
      >
        <p className="dialog-lead">It is disconnected at once and can no longer control this computer. To use it again, pair it again.</p>
      </Dialog>
    </>
  );
}

function DeviceRow({ model, device, onRevoke }: { readonly model: ThisComputerModel; readonly device: TrustedDevice; readonly onRevoke: () => void }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(device.name);
  const [refused, setRefused] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const toast = useToast();
  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);
  const start = () => {
    setDraft(device.name);
    setRefused(undefined);
    setEditing(true);
  };
  const save = async () => {
    const name = draft.trim();
    if (!name) {
      setRefused('A device needs a name');
      return;
    }
    if (name === device.name) {
      setEditing(false);
      return;
    }
    setSaving(true);
    const failed = await model.devices.getState().rename(device.deviceId, name);
    setSaving(false);
    if (failed) {
      setRefused(failed.replace(/^host\/devices\/rename: /, ''));
      toast('error', `Couldn't rename ${device.name}: ${failed.replace(/^host\/devices\/rename: /, '')}`);
      return;
    }
    setEditing(false);
    toast('success', `Renamed to ${name}`);
  };
  const icon = device.kind === 'phone' ? 'phone' : 'computer';
  return (
    <li className="settings-row device-row" data-testid="device-row" data-device-id={device.deviceId}>
      <div className="device-icon">
        <Icon name={icon} label={device.kind === 'phone' ? 'Phone' : 'Computer'} />
      </div>
      <div className="device-main">
        {editing ? (
          <div className="device-rename">
            <input
              ref={input}
              className="input"
              aria-label={`New name for ${device.name}`}
              value={draft}
              maxLength={64}
              disabled={saving}
              aria-invalid={refused ? true : undefined}
              onChange={(e) => {
                setDraft(e.target.value);
                setRefused(undefined);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void save();
                } else if (e.key === 'Escape') {
                  e.preventDefault();
                  e.stopPropagation();
                  setEditing(false);
                }
              }}
              onBlur={() => {
                if (!saving && !refused) setEditing(false);
              }}
            />
            {refused ? (
              <div className="row-error" role="alert">
                {refused}
              </div>
            ) : (
              <div className="settings-row-desc">Enter to save, Esc to cancel</div>
            )}
          </div>
        ) : (
          <div className="device-name-line">
            <span className="settings-row-title ellipsis device-name" title={device.name}>
              {device.name}
            </span>
            <button type="button" className="btn btn-ghost btn-sm btn-icon" aria-label={`Rename ${device.name}`} onClick={start}>
              <Icon name="pencil" />
            </button>
          </div>
        )}
        <div className="settings-row-desc device-meta">
          <span>{platformLabel(device.platform)}</span>
          <span className={device.connected > 0 ? 'is-connected' : undefined}>
            {lastConnected(device)}
          </span>
          <span>{pairedOn(device)}</span>
        </div>
        {device.kind === 'phone' && model.has('push') ? <DevicePushLine model={model} deviceId={device.deviceId} name={device.name} /> : null}
      </div>
      <button type="button" className="btn btn-sm btn-danger" onClick={onRevoke} aria-label={`Revoke access for ${device.name}`}>
        Revoke access
      </button>
    </li>
  );
}
