/**
 * The required contact for notifications (the VAPID subject, docs/notifications.md): browsers'
 * push services want a way to reach whoever runs this computer, a `mailto:` address or an
 * `https:` URL, and the host sends no notification until it has one. The row says so; the form
 * keeps what was typed when the host refuses it and shows the host's reason under it.
 */
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { Icon } from '../../../../common/views/Icon';
import { FormFooter } from '../FormFooter';
import { useToast } from '../toasts';
import type { ThisComputerModel } from './thisComputerModel';

export function PushSubjectRow({ model }: { readonly model: ThisComputerModel }) {
  const { view, loadError, subjectPending } = useStore(model.push);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  const toast = useToast();
  const subject = view?.subject ?? null;
  const formOpen = view !== undefined && (editing || subject === null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = draft.trim();
    if (!value) {
      setRefusal('Enter a mailto: address or an https: URL');
      return;
    }
    const failed = await model.push.getState().setSubject(value);
    if (failed) {
      setRefusal(failed);
      return;
    }
    setRefusal(undefined);
    setEditing(false);
    toast('success', 'Contact for notifications saved');
  };
  return (
    <div className="settings-row push-subject-row" data-testid="push-subject-row">
      <div className="settings-row-text">
        <div className="settings-row-title">Contact for notifications</div>
        <div className="settings-row-desc">
          Push services of phone browsers need a way to reach whoever runs this computer: a <code>mailto:</code> address or an <code>https:</code> URL. It goes only to them, with each notification.
        </div>
        {view ? (
          subject === null ? (
            <div className="row-status is-warning" data-testid="push-subject-state">
              <Icon name="alert" /> Not set: no phone gets notifications until it is
            </div>
          ) : (
            <div className="row-status" data-testid="push-subject-state">
              Set to <code>{subject}</code>
            </div>
          )
        ) : null}
        {loadError ? (
          <div className="row-error" role="alert">
            Couldn't read the notification settings: {loadError}
          </div>
        ) : null}
        {view?.problem ? (
          <div className="row-error" role="alert">
            {view.problem}
          </div>
        ) : null}
        {formOpen ? (
          <form className="push-subject-form" onSubmit={(e) => void submit(e)} noValidate>
            <input
              className="input"
              type="text"
              inputMode="email"
              aria-label="Contact for notifications"
              placeholder="mailto:you@example.com"
              value={draft}
              maxLength={256}
              disabled={subjectPending}
              aria-invalid={refusal ? true : undefined}
              onChange={(e) => {
                setDraft(e.target.value);
                setRefusal(undefined);
              }}
            />
            <FormFooter
              refusal={refusal}
              onCancel={subject !== null ? () => (setEditing(false), setRefusal(undefined)) : undefined}
              submitLabel={subjectPending ? 'Saving…' : 'Save'}
              submitDisabled={subjectPending}
            />
          </form>
        ) : null}
      </div>
      {view && !formOpen ? (
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => {
            setDraft(subject ?? '');
            setRefusal(undefined);
            setEditing(true);
          }}
        >
          Change
        </button>
      ) : null}
    </div>
  );
}
