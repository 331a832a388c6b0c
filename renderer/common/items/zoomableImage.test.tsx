// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ThreadItem } from '../../../shared/protocol/appServer/experimental/v2/ThreadItem';
import { UserMessageView } from './ItemViews';

afterEach(cleanup);

const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const message = (): Extract<ThreadItem, { type: 'userMessage' }> => ({
  type: 'userMessage',
  id: 'u1',
  content: [
    { type: 'text', text: 'look at this', text_elements: [] },
    { type: 'image', url: PIXEL },
  ],
} as Extract<ThreadItem, { type: 'userMessage' }>);

function openViewer(): HTMLElement {
  render(<UserMessageView item={message()} />);
  expect(screen.queryByRole('dialog')).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Enlarge Attached image' }));
  return screen.getByRole('dialog', { name: 'Attached image' });
}

describe('an image in a thread', () => {
  it('opens full screen on tap, fitted first, then at full size and back on a tap on the picture', () => {
    const viewer = openViewer();
    expect(viewer.querySelector('img')?.getAttribute('src')).toBe(PIXEL);
    expect(viewer.getAttribute('data-zoom')).toBe('fit');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    fireEvent.click(screen.getByRole('button', { name: 'Show at full size' }));
    expect(viewer.getAttribute('data-zoom')).toBe('natural');
    const fit = screen.getByRole('button', { name: 'Fit to screen' });
    expect(fit.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(fit);
    expect(viewer.getAttribute('data-zoom')).toBe('fit');
  });

  it('closes with the close button and gives the focus back to the image', () => {
    openViewer();
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Enlarge Attached image' }));
  });

  it('closes with Escape', () => {
    const viewer = openViewer();
    fireEvent.keyDown(viewer, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('closes on a tap on the dark area around the picture, not on the picture itself', () => {
    const viewer = openViewer();
    fireEvent.click(viewer.querySelector('img')!);
    expect(screen.queryByRole('dialog')).not.toBeNull();
    fireEvent.click(viewer.querySelector('.image-viewer-scroll')!);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
