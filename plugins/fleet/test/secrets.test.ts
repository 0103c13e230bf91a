// Device passwords are write-only in admin reads: in the provisioning response once, in
// no read or write response after, and revealed only with ?reveal=secrets and the admin
// token — over real HTTP.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startFleet, type FleetKit } from './helpers.js';

const secrets = suite('secrets are write-only in admin reads');

const TOKEN = 'test-admin-token-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };

/** Every password anywhere in a JSON body. */
function passwordsIn(body: unknown): string[] {
  const found: string[] = [];
  JSON.stringify(body, (key, value) => {
    if (key === 'password') found.push(value);
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
    assert.equal(one.body.credentials, { username: 'meter-0001' });

    // asking without a configured token is refused, whatever the request carries
    for (const headers of [{}, bearer]) {
      const asked = await kit.call('/devices?reveal=secrets', { headers });
      assert.is(asked.status, 403);
      assert.is(asked.body.code, 'US_FLEET_SECRETS_REFUSED');
      assert.match(asked.body.message, /no admin token is configured/);
      assert.equal(passwordsIn(asked.body), []);
    }
    assert.is((await kit.call('/devices/meter-0001?reveal=everything')).status, 400);
  } finally {
    await kit.stop();
  }
});

secrets('with the admin token configured, ?reveal=secrets and the bearer token show them; a wrong token is refused', async () => {
  const before = process.env.UNDERSTUDY_ADMIN_TOKEN;
  process.env.UNDERSTUDY_ADMIN_TOKEN = TOKEN;
  const kit = await startFleet({ deviceTypes: { meter: { connection: 'inprocess' } }, devices: [{ type: 'meter', count: 3 }] });
  try {
    const secretOf = (id: string) => kit.fleet.get(id)!.credentials.password;
    for (const res of await reads(kit, bearer)) assert.equal(passwordsIn(res.body), [], 'not asked, not shown');

    const all = await kit.call('/devices?reveal=secrets', { headers: bearer });
    assert.is(all.status, 200);
    assert.equal(passwordsIn(all.body), ['meter-0001', 'meter-0002', 'meter-0003'].map(secretOf));
    const one = await kit.call('/devices/meter-0002?reveal=secrets', { headers: bearer });
    assert.equal(one.body.credentials, { username: 'meter-0002', password: secretOf('meter-0002') });

    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, 'Basic abc']) {
      const wrong = await kit.call('/devices/meter-0002?reveal=secrets', { headers: { authorization } });
      assert.is(wrong.status, 403, authorization);
      assert.is(wrong.body.code, 'US_FLEET_SECRETS_REFUSED');
      assert.equal(passwordsIn(wrong.body), []);
    }
  } finally {
    await kit.stop();
    if (before === undefined) delete process.env.UNDERSTUDY_ADMIN_TOKEN;
    else process.env.UNDERSTUDY_ADMIN_TOKEN = before;
  }
});

secrets.run();
