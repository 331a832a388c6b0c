/**
 * Add manually / Edit: display name, `user@host`, port, identity file. Field errors show as
 * the user leaves a field or submits; the host's refusal (its own sentence) shows under the form.
 */
import { useId, useState } from 'react';
import type { SshHostInfo } from '../../../../../shared/protocol/features/sshApi';
import { checkManualHost, type ManualHostErrors, type ManualHostInput } from './manualHostFields';
import { callSsh, sshErrorText, type SshSessionLike } from './sshApiClient';
import { FormFooter } from '../FormFooter';

export function ManualHostForm({
  session,
  editing,
  onDone,
  onCancel,
}: {
  readonly session: Pick<SshSessionLike, 'requestHost'>;
  /** The manual host being edited (absent: adding one). */
  readonly editing?: SshHostInfo;
  readonly onDone: (host: SshHostInfo) => void;
  readonly onCancel?: () => void;
}) {
  const d = editing?.details;
  const [input, setInput] = useState<ManualHostInput>({
    name: editing?.name ?? '',
    destination: d?.user && d.hostName ? `${d.user}@${d.hostName}` : '',
    port: d?.port && d.port !== 22 ? String(d.port) : '',
    identityFile: d?.identityFiles[0] ?? '',
  });
  const [shown, setShown] = useState<ManualHostErrors>({});
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string | undefined>();
  const formId = useId();

  const check = checkManualHost(input);
  const errors = check.ok ? {} : check.errors;
  const field = (key: keyof ManualHostInput, label: string, placeholder: string, hint?: string) => {
    const id = `${formId}-${key}`;
    const note = shown[key] ?? hint;
    return (
      <div className="ssh-field">
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        <input
          id={id}
          className="input"
          name={key}
          value={input[key]}
          placeholder={placeholder}
          inputMode={key === 'port' ? 'numeric' : undefined}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={shown[key] ? true : undefined}
          aria-describedby={note ? `${id}-note` : undefined}
          onChange={(e) => {
            setInput({ ...input, [key]: e.target.value });
            if (shown[key]) setShown({ ...shown, [key]: checkErrors({ ...input, [key]: e.target.value })[key] });
          }}
          onBlur={() => input[key] && setShown({ ...shown, [key]: errors[key] })}
        />
        {note ? (
          <span id={`${id}-note`} className={shown[key] ? 'ssh-field-error' : 'ssh-field-hint'}>
            {note}
          </span>
        ) : null}
      </div>
    );
  };

  return (
    <form
      className="ssh-form"
      aria-label={editing ? `Edit ${editing.name}` : 'Add manually'}
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!check.ok) {
          setShown(check.errors);
          return;
        }
        setSaving(true);
        setRefusal(undefined);
        const name = input.name.trim();
        const fields = { destination: check.destination, ...(check.port !== undefined ? { port: check.port } : {}), ...(check.identityFile ? { identityFile: check.identityFile } : {}) };
        try {
          const r = editing
            ? await callSsh(session, 'host/ssh/edit', { name: editing.name, ...(name !== editing.name ? { newName: name } : {}), ...fields })
            : await callSsh(session, 'host/ssh/add', { name, ...fields });
          onDone(r.host);
        } catch (err) {
          setRefusal(sshErrorText(err));
        } finally {
          setSaving(false);
        }
      }}
    >
      <div className="ssh-form-grid">
        {field('name', 'Display name', 'devbox')}
        {field('destination', 'User and host', 'alice@devbox.example.com')}
        {field('port', 'Port', '22', 'Optional (22)')}
        {field('identityFile', 'Identity file', '~/.ssh/id_ed25519', 'Optional; else your agent and default keys')}
      </div>
      <FormFooter refusal={refusal} onCancel={onCancel} submitLabel={saving ? 'Saving…' : editing ? 'Save' : 'Add host'} submitDisabled={saving} />
    </form>
  );
}

function checkErrors(input: ManualHostInput): ManualHostErrors {
  const r = checkManualHost(input);
  return r.ok ? {} : r.errors;
}
