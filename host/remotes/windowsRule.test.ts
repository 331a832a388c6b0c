import { describe, expect, it } from 'vitest';
import { controlOtherDevicesProblem, WINDOWS_CONTROL_REFUSAL } from './windowsRule.js';

describe('the Windows rule', () => {
  it('refuses controlling other devices on win32 only, whatever machine runs the test', () => {
    expect(controlOtherDevicesProblem('win32')).toBe(WINDOWS_CONTROL_REFUSAL);
    expect(WINDOWS_CONTROL_REFUSAL).toBe('Controlling other devices is not available on Windows hosts; this host can still be controlled');
    for (const p of ['darwin', 'linux', 'freebsd'] as const) expect(controlOtherDevicesProblem(p)).toBeUndefined();
  });
});
