/**
 * The Windows rule (docs/remotes.md): a host running on Windows cannot control other devices —
 * the `remotes` feature is not offered and every host/remotes/* call is refused with this text —
 * while it can itself still be controlled (remote access is unaffected). The platform is an
 * input, so tests run the rule for win32, darwin and linux on any machine.
 */
export const WINDOWS_CONTROL_REFUSAL = 'Controlling other devices is not available on Windows hosts; this host can still be controlled';

/** Why a host on `platform` cannot control other devices, or undefined when it can. */
export function controlOtherDevicesProblem(platform: NodeJS.Platform): string | undefined {
  return platform === 'win32' ? WINDOWS_CONTROL_REFUSAL : undefined;
}
