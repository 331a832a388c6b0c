/**
 * Lets a shell lay some thread items out its own way without copying the turn view: the phone
 * shows a file change as a list of changed files that opens a full-screen diff (docs/mobile.md),
 * the desktop keeps the inline diff. Absent overrides mean the shared views.
 */
import { createContext, useContext, type ComponentType } from 'react';
import type { ThreadItem } from '../../../shared/protocol/appServer/experimental/v2/ThreadItem';

export type FileChangeItem = Extract<ThreadItem, { type: 'fileChange' }>;

export interface ItemOverrides {
  /** Replaces the inline diff of a `fileChange` item. */
  readonly fileChange?: ComponentType<{ readonly item: FileChangeItem; readonly root?: string }>;
}

const ItemOverridesContext = createContext<ItemOverrides>({});

export const ItemOverridesProvider = ItemOverridesContext.Provider;

export function useItemOverrides(): ItemOverrides {
  return useContext(ItemOverridesContext);
}
