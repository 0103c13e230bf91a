// Device secrets are write-only in admin reads: a device's password is in the response
// that provisioned it (shown once, as API keys are) and otherwise `REDACTED`, unless a read
// asks with `?reveal=secrets` and presents the admin token — the kernel's convention
// (`revealSecrets`, `redact`), so the token is checked once, by the kernel's guard. The
// fleet's `get`/`list` service still gives credentials to plugins.
import { redact, revealSecrets, type AdminRequest } from '@understudy/plugin-sdk';
import type { Device } from './contract.js';

/** A device as an admin read shows it. */
export type DeviceView = Device;

export function viewDevice(device: Device, reveal: boolean): DeviceView {
  return { ...device, credentials: { username: device.credentials.username, password: redact(device.credentials.password, reveal) } };
}

/** Whether a read shows secrets (see `revealSecrets`: 403 US_REVEAL_NEEDS_TOKEN when asked and no token is configured). */
export function revealRequested(req: AdminRequest): boolean {
  return revealSecrets(req);
}
