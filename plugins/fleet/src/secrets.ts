// Device secrets are write-only in admin reads: a device's password is in the response
// that provisioned it (shown once, as API keys are) and otherwise only when a read asks
// with `?reveal=secrets` and the admin token. The token check is this plugin's own until
// the kernel offers one: the token is `server.admin.token` from the kernel config, or
// `UNDERSTUDY_ADMIN_TOKEN`, compared in constant time; without a configured token secrets
// are never revealed (the fleet's `get`/`list` service still gives them to plugins).
import { timingSafeEqual } from 'node:crypto';
import type { AdminRequest } from '@understudy/plugin-sdk';
import { FleetErrors } from './errors.js';
import type { Device } from './contract.js';

/** A device as an admin read shows it: the password only when revealed. */
export type DeviceView = Omit<Device, 'credentials'> & { credentials: { username: string; password?: string } };

export function viewDevice(device: Device, reveal: boolean): DeviceView {
  if (reveal) return device;
  const { password: _hidden, ...credentials } = device.credentials;
  return { ...device, credentials };
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Whether a read may show secrets: false unless it asks (`?reveal=secrets`); when it asks,
 * true with the right bearer token, else US_FLEET_SECRETS_REFUSED (403).
 */
export function revealRequested(req: Pick<AdminRequest, 'headers'> & { query: unknown }, adminToken: string | undefined): boolean {
  if ((req.query as { reveal?: string } | undefined)?.reveal !== 'secrets') return false;
  if (!adminToken) throw new FleetErrors.SECRETS_REFUSED('no admin token is configured, so secrets are never revealed');
  const header = req.headers.authorization;
  const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
  if (given === undefined || !sameText(given, adminToken)) throw new FleetErrors.SECRETS_REFUSED('the request has no valid admin token');
  return true;
}

/** The admin token from the kernel config (`server.admin.token`), or UNDERSTUDY_ADMIN_TOKEN. */
export function adminTokenOf(config: unknown): string | undefined {
  const fromConfig = (config as { server?: { admin?: { token?: unknown } } } | undefined)?.server?.admin?.token;
  if (typeof fromConfig === 'string' && fromConfig.length > 0) return fromConfig;
  const fromEnv = process.env.UNDERSTUDY_ADMIN_TOKEN;
  return fromEnv && fromEnv.length > 0 ? fromEnv : undefined;
}
