// The commands plugin's config: delivery policy (timeouts, retries, expiry), bounded
// stores, and how simulated devices answer.
import { Type, type Static } from '@understudy/plugin-sdk';

const rate = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

const behaviourFields = {
  ackDelayMs: Type.Integer({ minimum: 0, description: 'ms from delivery to the ACKED (or REJECTED) reply; also how long a delta takes to apply.' }),
  completeDelayMs: Type.Integer({ minimum: 0, description: 'ms from ACKED to COMPLETED (or FAILED).' }),
  failureRate: rate('Share of acknowledged commands that end FAILED.'),
  rejectionRate: rate('Share of commands rejected at once (REJECTED, reason "busy").'),
  dropRate: rate('Share of deliveries the device ignores (no reply at all: exercises retries and timeouts).'),
};
type BehaviourFields = typeof behaviourFields;

/** Overrides for one device type or one command name: any subset of the default fields. */
export const BehaviourOverridesSchema = Type.Partial(Type.Object(behaviourFields, { additionalProperties: false }));

export const DEFAULT_BEHAVIOUR = { ackDelayMs: 50, completeDelayMs: 200, failureRate: 0, rejectionRate: 0, dropRate: 0 } as const;

const BehaviourSchema = Type.Object(
  Object.fromEntries(Object.entries(behaviourFields).map(([k, s]) => [k, { ...s, default: DEFAULT_BEHAVIOUR[k as keyof BehaviourFields] }])) as BehaviourFields,
  { additionalProperties: false, default: {} },
);

export const CommandsConfigSchema = Type.Object(
  {
    timeoutMs: Type.Integer({ minimum: 1, default: 5000, description: 'ms a SENT command waits for an ack before it is retried or times out.' }),
    maxAttempts: Type.Integer({ minimum: 1, default: 3, description: 'Deliveries before TIMED_OUT.' }),
    backoff: Type.Object(
      {
        baseMs: Type.Integer({ minimum: 0, default: 1000, description: 'Delay before retry n+1 is baseMs·2^(n-1).' }),
        maxMs: Type.Integer({ minimum: 0, default: 30_000, description: 'Cap on the delay (after jitter).' }),
        jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.2, description: 'The delay is scaled by a random factor in [1 - jitter, 1 + jitter].' }),
      },
      { additionalProperties: false, default: {} },
    ),
    ttlMs: Type.Integer({ minimum: 1, default: 3_600_000, description: 'ms a command waits to be delivered (device offline) before TIMED_OUT (expired).' }),
    completionTimeoutMs: Type.Integer({ minimum: 0, default: 30_000, description: 'ms an ACKED command waits for COMPLETED before TIMED_OUT; 0 = wait forever.' }),
    maxActive: Type.Integer({ minimum: 1, default: 100_000, description: 'Commands not yet finished; more are refused (429).' }),
    history: Type.Object(
      { capacity: Type.Integer({ minimum: 1, default: 10_000, description: 'Finished commands kept; older ones are dropped first and counted.' }) },
      { additionalProperties: false, default: {} },
    ),
    shadows: Type.Object(
      { capacity: Type.Integer({ minimum: 1, default: 100_000, description: 'Device shadows kept; more are refused and counted.' }) },
      { additionalProperties: false, default: {} },
    ),
    behaviour: Type.Object(
      {
        default: BehaviourSchema,
        byType: Type.Record(Type.String(), BehaviourOverridesSchema, { default: {}, description: 'Overrides by device type.' }),
        byCommand: Type.Record(Type.String(), BehaviourOverridesSchema, { default: {}, description: 'Overrides by command name (win over byType).' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type CommandsConfig = Static<typeof CommandsConfigSchema>;
export type Behaviour = Static<typeof BehaviourSchema>;
export type BehaviourOverrides = Static<typeof BehaviourOverridesSchema>;
