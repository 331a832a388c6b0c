/** One turn: its items in order (consecutive commands grouped), its plan, errors and status line. */
import { memo } from 'react';
import type { ThreadItem } from '../../../shared/protocol/appServer/experimental/v2/ThreadItem';
import type { TurnView as TurnData } from '../stores/threadReducer';
import { duration } from '../util/format';
import { Icon } from '../views/Icon';
import { Spinner } from '../views/States';
import { CommandGroup, NONE_AWAITING, type CommandItem } from './CommandGroup';
import { useItemOverrides } from './itemOverrides';
import {
  AgentMessageView,
  FileChangeView,
  HostImage,
  ImageGenerationView,
  PlanItemView,
  ReasoningView,
  ToolLineView,
  TurnPlanView,
  UserMessageView,
} from './ItemViews';

export type ItemBlock = { readonly kind: 'item'; readonly item: ThreadItem } | { readonly kind: 'commands'; readonly items: readonly CommandItem[] };

/** Groups consecutive command executions; everything else stays one block per item. */
export function groupItems(items: readonly ThreadItem[]): ItemBlock[] {
  const out: ItemBlock[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (item.type === 'commandExecution') {
      if (last?.kind === 'commands') (last.items as CommandItem[]).push(item);
      else out.push({ kind: 'commands', items: [item] });
    } else out.push({ kind: 'item', item });
  }
  return out;
}

function ItemView({ item, running, root }: { readonly item: ThreadItem; readonly running: boolean; readonly root?: string }) {
  const streaming = running && !item.completedAtMs;
  const overrides = useItemOverrides();
  switch (item.type) {
    case 'userMessage':
      return <UserMessageView item={item} />;
    case 'agentMessage':
      return <AgentMessageView item={item} streaming={streaming} />;
    case 'reasoning':
      return <ReasoningView item={item} streaming={streaming} />;
    case 'plan':
      return <PlanItemView item={item} />;
    case 'fileChange':
      return overrides.fileChange ? <overrides.fileChange item={item} root={root} /> : <FileChangeView item={item} root={root} />;
    case 'imageView':
      return <HostImage path={item.path} />;
    case 'imageGeneration':
      return <ImageGenerationView item={item} />;
    case 'hookPrompt':
    case 'functionCallOutput':
    case 'sleep':
      return null;
    default:
      return <ToolLineView item={item} />;
  }
}

export const TurnView = memo(function TurnView({
  turn,
  root,
  waitingForApproval,
  awaitingItemIds = NONE_AWAITING,
}: {
  readonly turn: TurnData;
  readonly root?: string;
  readonly waitingForApproval?: boolean;
  /** The items of this turn an open approval is about (a stable array: TurnView is memoized). */
  readonly awaitingItemIds?: readonly string[];
}) {
  const running = turn.status === 'inProgress';
  const blocks = groupItems(turn.items);
  const hasAgentOutput = turn.items.some((i) => i.type !== 'userMessage');
  // Only the newest item can still be streaming: the engine does not complete a message a steer
  // cut short (the model moved on to a new one), and that message must stop looking "live".
  const newestId = turn.items[turn.items.length - 1]?.id;
  return (
    <section className="turn" data-testid="turn" data-turn-id={turn.id} data-status={turn.status}>
      {blocks.map((b) =>
        b.kind === 'commands' ? <CommandGroup key={b.items[0]!.id} commands={b.items} awaiting={awaitingItemIds} /> : <ItemView key={b.item.id} item={b.item} running={running && b.item.id === newestId} root={root} />,
      )}
      {turn.plan && turn.plan.steps.length ? <TurnPlanView plan={turn.plan} /> : null}
      {running && waitingForApproval ? (
        <div className="tool-line">
          <Icon name="alert" /> Waiting for your approval
        </div>
      ) : running && !hasAgentOutput ? (
        <div className="tool-line">
          <Spinner label="Working" /> Working…
        </div>
      ) : null}
      {turn.retrying && running ? <div className="turn-note">{turn.retrying} Retrying…</div> : null}
      {turn.error ? (
        <div className="turn-error" role="alert">
          <Icon name="alert" />
          <span>{turn.error.message}</span>
        </div>
      ) : null}
      {turn.status === 'interrupted' ? (
        <div className="turn-footer">
          <Icon name="stop" /> Stopped{turn.durationMs ? ` after ${duration(turn.durationMs)}` : ''}
        </div>
      ) : turn.status === 'failed' && !turn.error ? (
        <div className="turn-footer">Failed</div>
      ) : null}
    </section>
  );
});
