/**
 * The labelled checkbox switch in a row: **Connect** at the end of a host row (SSH hosts,
 * controlled hosts), **Notifications** on a device row. `checked` is what the host reports (or the pending change); while `busy` the switch
 * is disabled and marked busy until the host answers.
 */
export function RowSwitch({
  label = 'Connect',
  checked,
  ariaLabel,
  title,
  busy,
  disabled = false,
  onChange,
}: {
  /** The visible word before the switch. */
  readonly label?: string;
  readonly checked: boolean;
  readonly ariaLabel: string;
  readonly title: string;
  readonly busy: boolean;
  readonly disabled?: boolean;
  readonly onChange: (on: boolean) => void;
}) {
  return (
    <label className={`ssh-switch${busy ? ' is-busy' : ''}`} title={title}>
      <span className="ssh-switch-label">{label}</span>
      <input
        type="checkbox"
        role="switch"
        aria-label={ariaLabel}
        aria-busy={busy || undefined}
        checked={checked}
        disabled={busy || disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span className="ssh-switch-track" aria-hidden="true">
        <span className="ssh-switch-thumb" />
      </span>
    </label>
  );
}
