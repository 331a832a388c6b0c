/**
 * The host's features: every host/ method and notification belongs to one (docs/host-api.md).
 * A feature is on when the host registered its complete handler table (host/hub/hostFeatures.ts);
 * a method of a feature that is off answers -32601 "<method>: <title> is off on this host".
 */
export const HOST_FEATURES = {
  /** host/info and notification subscriptions: always on. */
  core: { title: 'the host core' },
  /** Environments (the local engine, later SSH hosts): always on. */
  environments: { title: 'environments' },
  /** Pairing and trusted devices: on unless the host runs with --no-remote. */
  remote: { title: 'remote access' },
  /** Controlling other hosts through the relay (docs/remotes.md): on unless the host runs on Windows. */
  remotes: { title: 'controlling other devices' },
  /** The remote-TUI listener's run-time settings (features/listenerApi.ts): on in every host started by createHost. */
  listener: { title: 'listener settings' },
  /** The audit log read back (features/auditApi.ts): on in every host started by createHost. */
  audit: { title: 'the remote activity view' },
  /** Web Push notifications to paired phones: on with remote access (shared/protocol/features/pushApi.ts). */
  push: { title: 'notifications' },
  /** SSH hosts as environments (shared/protocol/features/sshApi.ts): on unless the host runs with --no-ssh. */
  ssh: { title: 'SSH hosts' },
  /** Keep-awake state and setting (features/powerApi.ts): on in every host started by createHost. */
  power: { title: 'keep-awake' },
} as const satisfies Record<string, { title: string }>;

export type HostFeature = keyof typeof HOST_FEATURES;
export const HOST_FEATURE_NAMES = Object.keys(HOST_FEATURES) as HostFeature[];

/** The error text of a method whose feature is off. */
export function featureOffMessage(method: string, feature: HostFeature): string {
  return `${method}: ${HOST_FEATURES[feature].title} is off on this host`;
}
