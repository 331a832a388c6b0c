import { describe, expect, it } from 'vitest';
import { deviceInfoOf } from './deviceInfo';

describe('how the phone introduces itself', () => {
  it('names iPhones, Android models and other browsers', () => {
    expect(deviceInfoOf('Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1')).toEqual({ name: 'iPhone (Safari)', platform: 'ios' });
    expect(deviceInfoOf('Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36')).toEqual({ name: 'Pixel 7 (Chrome)', platform: 'android' });
    // Chrome's reduced user agent says only "K".
    expect(deviceInfoOf('Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36')).toEqual({ name: 'Android phone (Chrome)', platform: 'android' });
    expect(deviceInfoOf('Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0')).toEqual({ name: 'Web browser (Firefox)', platform: 'web' });
  });
});
