/**
 * The end of a connections dialog's form: the host's refusal (as it said it), **Cancel** when
 * the form can be left, and the submit button whose label says what is happening.
 */
export function FormFooter({
  refusal,
  onCancel,
  submitLabel,
  submitDisabled,
}: {
  readonly refusal: string | undefined;
  readonly onCancel: (() => void) | undefined;
  readonly submitLabel: string;
  readonly submitDisabled: boolean;
}) {
  return (
    <>
      {refusal ? (
        <div className="ssh-form-refusal" role="alert">
          {refusal}
        </div>
      ) : null}
      <div className="ssh-form-actions">
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={submitDisabled}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
