// A device's serial number and secret. Each comes from the device's own random stream
// (`identity:<id>`), so the same seed gives every id the same identity whatever the
// order it was provisioned in. Deterministic secrets are fine for a mock: they are
// test credentials, not security.
import type { Random } from '@understudy/plugin-sdk';

const hex = (random: Random, digits: number) => {
  let out = '';
  while (out.length < digits) out += random.int(0, 0xffff).toString(16).padStart(4, '0');
  return out.slice(0, digits);
};

export interface Identity {
  serial: string;
  password: string;
}

export function identityFor(random: Random, id: string): Identity {
  const stream = random.fork(`identity:${id}`);
  return { serial: `SN-${hex(stream, 10).toUpperCase()}`, password: hex(stream, 32) };
}
