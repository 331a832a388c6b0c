/**
 * The message box: send (Enter; Shift+Enter for a new line), steer while a turn runs, stop
 * it, and choose the model and reasoning effort (`model/list`) for the next turn. For a new
 * thread it also asks for the folder to work in.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ReasoningEffort } from '../../../shared/protocol/appServer/experimental/ReasoningEffort';
import { useSelect } from '../host/HostProvider';
import type { ModelsStore } from '../stores/modelsStore';
import { Icon } from './Icon';
import { Spinner } from './States';

export interface ComposerChoice {
  readonly model: string | null;
  readonly effort: ReasoningEffort | null;
}

export interface ComposerProps {
  readonly models: ModelsStore;
  /** A turn is running: sending steers it, and Stop is offered. */
  readonly running: boolean;
  readonly sending: boolean;
  readonly error?: string;
  /** The thread's current model (shown as the default choice). */
  readonly threadModel?: string | null;
  /** The thread's current reasoning effort (the default effort while its model is chosen). */
  readonly threadEffort?: ReasoningEffort | null;
  readonly placeholder?: string;
  /** Present for a new thread: the folder field. */
  readonly cwd?: { readonly value: string; readonly onChange: (v: string) => void; readonly suggestions: readonly string[] };
  readonly onSend: (text: string, choice: ComposerChoice) => Promise<boolean>;
  readonly onInterrupt?: () => void;
  readonly autoFocus?: boolean;
  /** Sending is not possible right now (offline); the text stays. */
  readonly disabled?: boolean;
}

const CHOICE_KEY = 'codexHost.composer.choice';

function loadChoice(): ComposerChoice {
  try {
    const raw = localStorage.getItem(CHOICE_KEY);
    const v = raw ? (JSON.parse(raw) as Partial<ComposerChoice>) : {};
    return { model: typeof v.model === 'string' ? v.model : null, effort: typeof v.effort === 'string' ? (v.effort as ReasoningEffort) : null };
  } catch {
    return { model: null, effort: null };
  }
}

const EFFORT_LABEL: Readonly<Record<string, string>> = { none: 'No reasoning', minimal: 'Minimal', low: 'Low', medium: 'Medium', high: 'High', xhigh: 'Extra high', max: 'Max', ultra: 'Ultra' };

export function Composer(props: ComposerProps) {
  const { models: modelsStore, running, sending } = props;
  const models = useSelect(modelsStore, (s) => s.models);
  const [text, setText] = useState('');
  const [choice, setChoice] = useState<ComposerChoice>(loadChoice);
  const ref = useRef<HTMLTextAreaElement>(null);

  const modelId = choice.model && models.some((m) => m.id === choice.model) ? choice.model : (props.threadModel && models.some((m) => m.id === props.threadModel) ? props.threadModel : models[0]?.id) ?? null;
  const model = useMemo(() => models.find((m) => m.id === modelId), [models, modelId]);
  // Without a choice of its own, the effort is the thread's (what its turns run with, whoever
  // set it: another device, the desktop), else the model's default; never one the model lacks.
  const threadEffort = modelId === props.threadModel && props.threadEffort && model?.efforts.includes(props.threadEffort) ? props.threadEffort : undefined;
  const effort = choice.effort && model?.efforts.includes(choice.effort) ? choice.effort : (threadEffort ?? model?.defaultEffort ?? null);

  useEffect(() => {
    if (props.autoFocus) ref.current?.focus();
  }, [props.autoFocus]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Empty, the box has its natural one-row height: measuring it (scrollHeight forces a
    // layout of the whole page, ~20 ms on a first screen) would only confirm that.
    if (!text) {
      el.style.height = '';
      return;
    }
    el.style.height = 'auto';
    el.style.height = `${Math.min(240, el.scrollHeight)}px`;
  }, [text]);

  const remember = (c: ComposerChoice) => {
    setChoice(c);
    try {
      localStorage.setItem(CHOICE_KEY, JSON.stringify(c));
    } catch {
      // private mode: the choice lasts for this page only
    }
  };

  const canSend = text.trim().length > 0 && !sending && !props.disabled && (!props.cwd || props.cwd.value.trim().length > 0);
  const send = async () => {
    if (!canSend) return;
    const ok = await props.onSend(text, { model: modelId, effort });
    if (ok) setText('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && running && props.onInterrupt) {
      e.preventDefault();
      props.onInterrupt();
    }
  };

  return (
    <div className="composer-wrap">
      {props.error ? (
        <div className="composer-error" role="alert">
          {props.error}
        </div>
      ) : null}
      <div className="composer">
        {props.cwd ? (
          <div className="cwd-row">
            <label htmlFor="composer-cwd">
              <Icon name="folder" />
            </label>
            <input
              id="composer-cwd"
              className="input"
              value={props.cwd.value}
              onChange={(e) => props.cwd!.onChange(e.target.value)}
              placeholder="/path/to/project"
              list="composer-cwd-suggestions"
              aria-label="Folder to work in"
              spellCheck={false}
              autoComplete="off"
            />
            <datalist id="composer-cwd-suggestions">
              {props.cwd.suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </div>
        ) : null}
        <textarea
          ref={ref}
          rows={1}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={props.placeholder ?? (running ? 'Steer the running turn…' : 'Ask Codex anything…')}
          aria-label={running ? 'Message to steer the running turn' : 'Message'}
        />
        <div className="composer-bar">
          <select
            className="select"
            aria-label="Model"
            value={modelId ?? ''}
            onChange={(e) => remember({ model: e.target.value, effort: null })}
            disabled={models.length === 0}
          >
            {models.length === 0 ? <option value="">Default model</option> : null}
            {models.map((m) => (
              <option key={m.id} value={m.id} title={m.description}>
                {m.label}
              </option>
            ))}
          </select>
          {model && model.efforts.length > 0 ? (
            <select className="select" aria-label="Reasoning effort" value={effort ?? ''} onChange={(e) => remember({ model: modelId, effort: e.target.value as ReasoningEffort })}>
              {model.efforts.map((x) => (
                <option key={x} value={x}>
                  {EFFORT_LABEL[x] ?? x}
                </option>
              ))}
            </select>
          ) : null}
          <span className="spacer" />
          <span className="composer-hint">{running ? 'Enter to steer · Esc to stop' : 'Enter to send · Shift+Enter for a new line'}</span>
          {running && props.onInterrupt ? (
            <button type="button" className="btn btn-sm" onClick={props.onInterrupt} aria-label="Stop the running turn">
              <Icon name="stop" /> Stop
            </button>
          ) : null}
          <button type="button" className="btn btn-primary btn-sm btn-icon" onClick={() => void send()} disabled={!canSend} aria-label={running ? 'Steer' : 'Send'}>
            {sending ? <Spinner label="Sending" /> : <Icon name="send" />}
          </button>
        </div>
      </div>
    </div>
  );
}
