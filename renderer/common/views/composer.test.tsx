// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { ModelChoice, ModelsState } from '../stores/modelsStore';
import { Composer, type ComposerChoice } from './Composer';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

const model = (id: string, efforts: ModelChoice['efforts'], defaultEffort: ModelChoice['defaultEffort'], isDefault = false): ModelChoice => ({ id, label: id.toUpperCase(), description: '', isDefault, efforts, defaultEffort });
const models = () =>
  createStore<ModelsState>()(() => ({ models: [model('sol', ['low', 'medium', 'high'], 'low', true), model('astra', ['low', 'medium'], 'low')], phase: 'ready', error: undefined, load: async () => {} }));

function composer(props: { threadModel?: string; threadEffort?: 'low' | 'medium' | 'high' }) {
  const sent: ComposerChoice[] = [];
  render(<Composer models={models()} running={false} sending={false} {...props} onSend={async (_t, c) => (sent.push(c), true)} />);
  const send = () => {
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'hi' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  };
  return { sent, send, model: () => (screen.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement).value, effort: () => (screen.getByRole('combobox', { name: 'Reasoning effort' }) as HTMLSelectElement).value };
}

describe('the composer’s model and reasoning effort', () => {
  it('starts from the thread’s model and effort (set on another device), and sends them', async () => {
    const c = composer({ threadModel: 'astra', threadEffort: 'medium' });
    expect([c.model(), c.effort()]).toEqual(['astra', 'medium']);
    c.send();
    await expect.poll(() => c.sent).toEqual([{ model: 'astra', effort: 'medium' }]);
  });

  it('a choice made here wins for the next turn and is remembered; another model starts at its own default', async () => {
    const c = composer({ threadModel: 'astra', threadEffort: 'medium' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Reasoning effort' }), { target: { value: 'low' } });
    c.send();
    await expect.poll(() => c.sent).toEqual([{ model: 'astra', effort: 'low' }]);
    fireEvent.change(screen.getByRole('combobox', { name: 'Model' }), { target: { value: 'sol' } });
    expect([c.model(), c.effort()]).toEqual(['sol', 'low']);
    cleanup();
    const again = composer({ threadModel: 'astra', threadEffort: 'medium' });
    expect([again.model(), again.effort()]).toEqual(['sol', 'low']);
  });

  it('never offers a thread effort its model lacks', () => {
    const c = composer({ threadModel: 'astra', threadEffort: 'high' });
    expect([c.model(), c.effort()]).toEqual(['astra', 'low']);
  });
});
