/** The views of single thread items: messages, reasoning, plans, file changes, images (tap to zoom), tools. */
import { memo, useEffect, useState } from 'react';
import type { ThreadItem } from '../../../shared/protocol/appServer/experimental/v2/ThreadItem';
import type { UserInput } from '../../../shared/protocol/appServer/experimental/v2/UserInput';
import { DiffView } from '../diff/DiffView';
import { useHostModel } from '../host/HostProvider';
import { Markdown } from '../markdown/Markdown';
import type { TurnPlan } from '../stores/threadReducer';
import { baseName, plural } from '../util/format';
import { Icon } from '../views/Icon';
import { Spinner } from '../views/States';
import { ZoomableImage } from './ZoomableImage';

type Item<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;

export const UserMessageView = memo(function UserMessageView({ item }: { readonly item: Item<'userMessage'> }) {
  const text = item.content
    .filter((c): c is Extract<UserInput, { type: 'text' }> => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
  const images = item.content.filter((c) => c.type === 'image' || c.type === 'localImage');
  return (
    <>
      {text ? (
        <div className="msg-user" data-testid="user-message">
          {text}
        </div>
      ) : null}
      {images.map((c, i) =>
        c.type === 'localImage' ? (
          <HostImage key={i} path={c.path} align="end" />
        ) : c.type === 'image' && 'url' in c && c.url.startsWith('data:image/') ? (
          <figure key={i} className="image-item" style={{ alignSelf: 'flex-end', margin: 0 }}>
            <ZoomableImage src={c.url} alt="Attached image" />
          </figure>
        ) : null,
      )}
    </>
  );
});

export const AgentMessageView = memo(function AgentMessageView({ item, streaming }: { readonly item: Item<'agentMessage'>; readonly streaming: boolean }) {
  if (!item.text && streaming) {
    return (
      <div className="tool-line">
        <Spinner label="Writing" /> Writing…
      </div>
    );
  }
  return (
    <div className={`msg-agent${streaming ? ' is-streaming' : ''}`} data-testid="agent-message">
      <Markdown text={item.text} />
    </div>
  );
});

export const ReasoningView = memo(function ReasoningView({ item, streaming }: { readonly item: Item<'reasoning'>; readonly streaming: boolean }) {
  const [open, setOpen] = useState(false);
  const summary = item.summary.filter((s) => s.trim()).join('\n\n');
  const title = summary.split('\n')[0]?.replace(/^\*\*(.*)\*\*$/, '$1') || (streaming ? 'Thinking…' : 'Thought');
  if (!summary && !streaming) return null;
  return (
    <div className="reasoning">
      <button type="button" className="item-head" aria-expanded={open} onClick={() => setOpen(!open)} disabled={!summary}>
        <Icon name="chevron" className="chev" />
        <Icon name="sparkle" />
        <span className="item-head-title ellipsis" style={{ color: 'var(--text-muted)' }}>
          {title}
        </span>
        {streaming ? <Spinner label="Thinking" /> : null}
      </button>
      {open && summary ? (
        <div className="reasoning-body">
          <Markdown text={summary} />
        </div>
      ) : null}
    </div>
  );
});

export const PlanItemView = memo(function PlanItemView({ item }: { readonly item: Item<'plan'> }) {
  return (
    <div className="item-card plan">
      <div className="plan-title">Plan</div>
      <Markdown text={item.text} />
    </div>
  );
});

export const TurnPlanView = memo(function TurnPlanView({ plan }: { readonly plan: TurnPlan }) {
  const done = plan.steps.filter((s) => s.status === 'completed').length;
  return (
    <div className="item-card plan" data-testid="turn-plan">
      <div className="plan-title">
        Plan · {done}/{plan.steps.length}
      </div>
      {plan.explanation ? <p style={{ margin: '0 0 8px', color: 'var(--text-muted)' }}>{plan.explanation}</p> : null}
      <ol className="plan-steps">
        {plan.steps.map((s, i) => (
          <li key={i} className="plan-step" data-status={s.status}>
            <span className="plan-check" aria-label={s.status} />
            <span>{s.step}</span>
          </li>
        ))}
      </ol>
    </div>
  );
});

export const FileChangeView = memo(function FileChangeView({ item, root }: { readonly item: Item<'fileChange'>; readonly root?: string }) {
  const [open, setOpen] = useState(true);
  const files = item.changes.length;
  const verb =
    item.status === 'inProgress' ? 'Editing' : item.status === 'declined' ? 'Declined edit of' : item.status === 'failed' ? 'Failed to edit' : 'Edited';
  const names = item.changes.map((c) => baseName(c.path)).join(', ');
  return (
    <div className="item-card" data-testid="file-change">
      <button type="button" className="item-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name="chevron" className="chev" />
        <Icon name="file" />
        <span className="item-head-title ellipsis">
          {verb} {plural(files, 'file')}
          {names ? <span style={{ color: 'var(--text-muted)' }}> · {names}</span> : null}
        </span>
        {item.status === 'inProgress' ? <Spinner label="Applying" /> : null}
        {item.status === 'failed' ? <span className="badge badge-danger">failed</span> : null}
        {item.status === 'declined' ? <span className="badge">declined</span> : null}
      </button>
      {open ? (
        <div className="item-body">
          <DiffView changes={item.changes} root={root} />
        </div>
      ) : null}
    </div>
  );
});

/** Largest image read from the host for display. */
const MAX_IMAGE_BASE64 = 12 * 1024 * 1024;

const MIME_BY_EXT: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/** An image file on the host, read through the engine (`fs/readFile`); SVG is never shown (it can carry script). */
export function HostImage({ path, align }: { readonly path: string; readonly align?: 'end' }) {
  const model = useHostModel();
  const [state, setState] = useState<{ url?: string; error?: string }>({});
  useEffect(() => {
    const ext = path.split('.').pop()?.toLowerCase() ?? '';
    const mime = MIME_BY_EXT[ext];
    if (!mime) {
      setState({ error: 'not a picture this view shows' });
      return;
    }
    let live = true;
    let url: string | undefined;
    model.session.request('fs/readFile', { path }).then(
      (r) => {
        if (!live) return;
        if (r.dataBase64.length > MAX_IMAGE_BASE64) return setState({ error: 'too large to show' });
        const bin = atob(r.dataBase64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        url = URL.createObjectURL(new Blob([bytes], { type: mime }));
        setState({ url });
      },
      (err: unknown) => live && setState({ error: err instanceof Error ? err.message : 'could not be read' }),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [model, path]);
  return (
    <figure className="image-item" style={{ margin: 0, alignSelf: align === 'end' ? 'flex-end' : undefined }}>
      {state.url ? <ZoomableImage src={state.url} alt={baseName(path)} /> : <div className="tool-line">{state.error ? <Icon name="image" /> : <Spinner label="Loading image" />} {baseName(path)}{state.error ? ` (${state.error})` : ''}</div>}
      {state.url ? <figcaption className="ellipsis">{baseName(path)}</figcaption> : null}
    </figure>
  );
}

export const ImageGenerationView = memo(function ImageGenerationView({ item }: { readonly item: Item<'imageGeneration'> }) {
  const result = 'result' in item ? item.result : undefined;
  const src = result && /^[A-Za-z0-9+/=\s]+$/.test(result.slice(0, 200)) ? `data:image/png;base64,${result}` : undefined;
  if (src) {
    return (
      <figure className="image-item" style={{ margin: 0 }}>
        <ZoomableImage src={src} alt={item.revisedPrompt ?? 'Generated image'} />
        {item.revisedPrompt ? <figcaption>{item.revisedPrompt}</figcaption> : null}
      </figure>
    );
  }
  if (item.savedPath) return <HostImage path={item.savedPath} />;
  return (
    <div className="tool-line">
      <Icon name="image" /> {item.failure ? 'Image generation failed' : 'Generating an image…'}
    </div>
  );
});

/** One line for the items that need no more (tool calls, searches, compaction, review mode). */
export function ToolLineView({ item }: { readonly item: ThreadItem }) {
  let text: string;
  switch (item.type) {
    case 'mcpToolCall':
      text = `${item.status === 'inProgress' ? 'Calling' : 'Called'} ${item.server}.${item.tool}${item.error ? ' (failed)' : ''}`;
      break;
    case 'dynamicToolCall':
      text = `${item.status === 'inProgress' ? 'Calling' : 'Called'} ${item.tool}${item.success === false ? ' (failed)' : ''}`;
      break;
    case 'webSearch':
      text = 'Searched the web';
      break;
    case 'contextCompaction':
      text = 'Context compacted';
      break;
    case 'enteredReviewMode':
      text = 'Started a review';
      break;
    case 'exitedReviewMode':
      text = 'Finished the review';
      break;
    case 'collabAgentToolCall':
      text = `Agent tool: ${item.tool}`;
      break;
    case 'subAgentActivity':
      text = `Sub-agent ${item.kind}`;
      break;
    default:
      return null;
  }
  return (
    <div className="tool-line">
      <Icon name="tool" />
      <span className="ellipsis">{text}</span>
    </div>
  );
}
