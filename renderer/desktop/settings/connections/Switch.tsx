/**
 * An on/off switch that shows what the host reports: `checked` is the host's state, a click
 * asks for the other one (`onChange`), and while the host has not answered the switch is busy
 * and keeps showing the old state (connections-ui.md: no optimistic flips).
 */
export function Switch({
  checked,
  label,
  busy = false,
  disabled = false,
  onChange,
}: {
  readonly checked: boolean;
  readonly label: string;
  readonly busy?: boolean;
  readonly disabled?: boolean;
  readonly onChange: (next: boolean) => void;
}) {
  return (
    <button
      type="button"
      role="switch"
      className="switch"
      aria-checked={checked}
      aria-label={label}
      aria-busy={busy || undefined}
      disabled={disabled || busy}
      onClick={() => onChange(!checked)}
    >
      <span className="switch-thumb" />
    </button>
  );
}
