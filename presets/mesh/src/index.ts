// The mesh preset: the shop world's ten mock services, registered in discovery, with a
// circuit breaker on every call, a trace for every request and chaos on demand.
import breaker from '@understudy/plugin-breaker';
import chaos from '@understudy/plugin-chaos';
import discovery from '@understudy/plugin-discovery';
import mesh from '@understudy/plugin-mesh';
import { definePreset } from '@understudy/plugin-sdk';
import stubs from '@understudy/plugin-stubs';
import tracing from '@understudy/plugin-tracing';

export default definePreset({
  name: 'mesh',
  description: 'A service mesh of mock services: the shop world with discovery, circuit breakers, tracing and chaos.',
  plugins: [discovery, mesh, breaker, tracing, chaos, stubs],
  config: {
    mesh: { world: 'shop' },
    // small windows, so a user sees a breaker open within a handful of calls
    breaker: { slidingWindowSize: 10, minimumNumberOfCalls: 5, failureRateThreshold: 50, waitDurationInOpenState: 10_000, permittedNumberOfCallsInHalfOpenState: 3 },
  },
  world: 'shop: gateway, users, catalog, cart, orders, payments, inventory, shipping, notifications, recommendations',
});
