/**
 * The labelled **Connect** checkbox switch at the end of a host row (SSH hosts, controlled
 * hosts). `checked` is what the host reports (or the pending change); while `busy` the switch
 * is disabled and marked busy until the host answers.
 */
export function RowSwitch({
  checked,
  ariaLabel,
  title,
  busy,
  disabled = false,
  onChange,
}: {
  readonly checked: boolean;
  readonly ariaLabel: string;
  readonly title: string;
  readonly busy: boolean;
  readonly disabled?: boolean;
  readonly onChange: (on: boolean) => void;
}) {
  return (
    <label className={`ssh-switch${busy ? ' is-busy' : ''}`} title={title}>
      <span className="ssh-switch-label">Connect</span>
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
