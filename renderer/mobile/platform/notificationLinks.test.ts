import { describe, expect, it } from 'vitest';
import { OPEN_LINK_MESSAGE as POSTED_BY_WORKER } from '../sw/notificationOpen';
import { OPEN_LINK_MESSAGE, linkHashOf } from './notificationLinks';

const ORIGIN = 'https://relay.example';
const THREAD = `/#/hosts/${'a'.repeat(32)}/threads/t1`;

describe('a link posted by the notification worker', () => {
  it('is the message the worker posts', () => {
    expect(OPEN_LINK_MESSAGE).toBe(POSTED_BY_WORKER);
  });

  it('goes to the thread it names', () => {
    expect(linkHashOf({ type: OPEN_LINK_MESSAGE, url: THREAD }, ORIGIN)).toBe(`#/hosts/${'a'.repeat(32)}/threads/t1`);
  });

  it('goes home for the app’s root', () => {
    expect(linkHashOf({ type: OPEN_LINK_MESSAGE, url: '/' }, ORIGIN)).toBe('#/');
  });

  it('ignores anything that is not an app link of this origin', () => {
    for (const data of [null, 'x', 42, {}, { type: 'other', url: THREAD }, { type: OPEN_LINK_MESSAGE }, { type: OPEN_LINK_MESSAGE, url: 7 }]) {
      expect(linkHashOf(data, ORIGIN)).toBeUndefined();
    }
    for (const url of ['https://evil.example/#/x', '//evil.example/#/x', '/pair#p=abc', '/push/x/', `/${'x'.repeat(3000)}`]) {
      expect(linkHashOf({ type: OPEN_LINK_MESSAGE, url }, ORIGIN)).toBeUndefined();
    }
  });
});
