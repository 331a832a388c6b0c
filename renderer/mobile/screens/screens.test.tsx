// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { generateIdentity, signerFromIdentity } from '../../../shared/crypto/identity';
import { nobleAead } from '../../../shared/crypto/nobleAead';
import { encodePairingLink } from '../../../shared/pairing/pairingLink';
import { memoryStore } from '../platform/kvStore';
import { PhoneHosts } from '../phone/phoneHosts';
import { PhoneEnvProvider, type PhoneEnv } from '../phoneContext';
import { HostsScreen } from './HostsScreen';
import { PairScreen } from './PairScreen';

afterEach(cleanup);

/** Sockets the phone tried to open, so a test can say nothing was sent. */
let socketsOpened = 0;

function env(): PhoneEnv {
  socketsOpened = 0;
  const hosts = new PhoneHosts(memoryStore(), {
    device: { signer: signerFromIdentity(generateIdentity()), name: 'Test phone', platform: 'web', kind: 'phone' },
    aead: nobleAead,
    webSocket: () => {
      socketsOpened++;
      throw new Error('no network in this test');
    },
  });
  return { hosts, crypto: { secureContext: true, aeadKind: 'webcrypto' }, deviceKeyKind: 'webcrypto', deviceName: 'Test phone' };
}

function link(expSeconds: number): { text: string } {
  const id = generateIdentity();
  const text = encodePairingLink({ relay: 'wss://relay.test', hostKey: id.publicKey, secret: new Uint8Array(32).fill(9), exp: expSeconds, name: 'A very long host name that goes on and on' }, 'https://relay.test');
  return { text };
}

describe('phone screens', () => {
  it('shows how to pair when no computer is paired yet', async () => {
    const e = env();
    render(
      <PhoneEnvProvider value={e}>
        <HostsScreen />
      </PhoneEnvProvider>,
    );
    await act(() => e.hosts.load());
    expect(screen.getByRole('heading', { name: 'Pair your first computer' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Paste a pairing link' })).toBeTruthy();
  });

  it('previews a pairing link (name, grouped fingerprint, time left) and sends nothing until Pair', () => {
    const e = env();
    render(
      <PhoneEnvProvider value={e}>
        <PairScreen linkText={link(Math.floor(Date.now() / 1000) + 300).text} onDone={() => undefined} />
      </PhoneEnvProvider>,
    );
    expect(screen.getByTestId('pair-host-name').textContent).toBe('A very long host name that goes on and on');
    expect(screen.getByTestId('pair-fingerprint').textContent).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    expect(screen.getByText(/^4:5\d$|^5:00$/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pair' })).toBeTruthy();
    expect(socketsOpened).toBe(0);
  });

  it('turns an expired link into the expired screen, and Done leaves', () => {
    let done = 0;
    render(
      <PhoneEnvProvider value={env()}>
        <PairScreen linkText={link(Math.floor(Date.now() / 1000) - 1).text} onDone={() => done++} />
      </PhoneEnvProvider>,
    );
    expect(screen.getByRole('heading', { name: 'This code has expired' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(done).toBe(1);
  });
});
