// Device passwords are write-only in admin reads: in the provisioning response once,
// REDACTED in every read or write response after, and revealed only with ?reveal=secrets
// and the admin token (the kernel's convention and guard) — over real HTTP.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REDACTED } from '@understudy/plugin-sdk';
import { startFleet, type FleetKit } from './helpers.js';

const secrets = suite('secrets are write-only in admin reads');

const TOKEN = 'test-admin-token-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };

/** Every password value anywhere in a JSON body that is not the redaction mark. */
function passwordsIn(body: unknown): string[] {
  const found: string[] = [];
  JSON.stringify(body, (key, value) => {
    if (key === 'password' && value !== REDACTED) found.push(value);
    return value;
  });
  return found;
}

async function reads(kit: FleetKit, headers: Record<string, string> = {}) {
  return [
    await kit.call('/devices', { headers }),
    await kit.call('/devices?type=meter&limit=5', { headers }),
    await kit.call('/devices/meter-0001', { headers }),
    await kit.call('/devices/meter-0001', { method: 'PATCH', json: { firmware: '1.1.0' }, headers }),
    await kit.call('/devices/meter-0002/disconnect', { method: 'POST', headers }),
    await kit.call('/devices/meter-0002/connect', { method: 'POST', headers }),
    await kit.call('/devices/meter-0003', { method: 'DELETE', headers }),
  ];
}

secrets('the provisioning response shows each password once; no read or edit echoes it; no token, no reveal', async () => {
  const kit = await startFleet({ deviceTypes: { meter: { connection: 'inprocess' } } });
  try {
    const provisioned = await kit.call('/devices', { method: 'POST', json: { type: 'meter', count: 3 } });
    assert.is(provisioned.status, 201);
    const shown = provisioned.body.devices.map((d: { credentials: { password: string } }) => d.credentials.password);
    assert.equal(shown, kit.fleet.list().map((d) => d.credentials.password));
    assert.ok(shown.every((p: string) => /^[0-9a-f]{32}$/.test(p)));

    for (const res of await reads(kit)) {
      assert.ok(res.status < 300, `${res.status} ${res.text}`);
      assert.equal(passwordsIn(res.body), [], res.text);
    }
    const one = await kit.call('/devices/meter-0001');
    assert.equal(one.body.credentials, { username: 'meter-0001', password: REDACTED });

    // asking without a configured token is refused, whatever the request carries
    for (const headers of [{}, bearer]) {
      const asked = await kit.call('/devices?reveal=secrets', { headers });
      assert.is(asked.status, 403);
      assert.is(asked.body.code, 'US_REVEAL_NEEDS_TOKEN');
      assert.equal(passwordsIn(asked.body), []);
    }
    assert.is((await kit.call('/devices/meter-0001?reveal=everything')).status, 400);
  } finally {
    await kit.stop();
  }
});

secrets('with the admin token configured, ?reveal=secrets and the bearer token show them; a wrong token is refused', async () => {
  const kit = await startFleet(
    { deviceTypes: { meter: { connection: 'inprocess' } }, devices: [{ type: 'meter', count: 3 }] },
    { kernel: { server: { admin: { token: TOKEN } } } },
  );
  try {
    const secretOf = (id: string) => kit.fleet.get(id)!.credentials.password;
    for (const res of await reads(kit, bearer)) {
      assert.ok(res.status < 300, `${res.status} ${res.text}`);
      assert.equal(passwordsIn(res.body), [], 'not asked, not shown');
    }

    const all = await kit.call('/devices?reveal=secrets', { headers: bearer });
    assert.is(all.status, 200);
    assert.equal(passwordsIn(all.body), ['meter-0001', 'meter-0002', 'meter-0003'].map(secretOf));
    const one = await kit.call('/devices/meter-0002?reveal=secrets', { headers: bearer });
    assert.equal(one.body.credentials, { username: 'meter-0002', password: secretOf('meter-0002') });

    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Basic abc', undefined]) {
      const wrong = await kit.call('/devices/meter-0002?reveal=secrets', { headers: authorization ? { authorization } : {} });
      assert.is(wrong.status, 401, authorization);
      assert.ok(['US_ADMIN_TOKEN_INVALID', 'US_ADMIN_TOKEN_REQUIRED'].includes(wrong.body.code), wrong.body.code);
      assert.equal(passwordsIn(wrong.body), []);
    }
  } finally {
    await kit.stop();
  }
});

secrets.run();
