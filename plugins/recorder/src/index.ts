// The recorder plugin: markers for a demo's recording. Scenario steps, waypoints and jumps
// (from the scenarios plugin's events — it listens only, so it works without that plugin),
// configured event types and annotations become markers with scenario time and wall time;
// takes follow scenario runs; exports are WebVTT chapters and JSON; OBS Studio records
// each take with a chapter per marker when it is there, and the files are the record when
// it is not.
import { isAbsolute, join } from 'node:path';
import { definePlugin } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { RecorderConfigSchema } from './config.js';
import { Intake } from './intake.js';
import { ObsLink } from './obs.js';
import { Recorder } from './recorder.js';

export { RecorderConfigSchema, type RecorderConfig, type ObsConfig } from './config.js';
export { RecorderErrors } from './errors.js';
export { toWebVtt, timestamp } from './webvtt.js';
export { Recorder, SCENARIO_EVENTS, type Annotation } from './recorder.js';
export type * from './contract.js';

export default definePlugin({
  name: 'recorder',
  version: '0.1.0',
  description: 'Recording markers from scenario steps, events and annotations; WebVTT chapters and JSON exports; OBS Studio through obs-websocket v5.',
  provides: ['recorder'],
  config: RecorderConfigSchema,
  register(ctx) {
    const dir = isAbsolute(ctx.config.files.dir) ? ctx.config.files.dir : join(ctx.baseDir, ctx.config.files.dir);
    const obs = new ObsLink(ctx.config.obs, { clock: ctx.clock, logger: ctx.logger, events: ctx.events });
    const recorder = new Recorder(ctx.config, { clock: ctx.clock, logger: ctx.logger, events: ctx.events, obs, dir });
    const intake = new Intake(ctx.config.maxPending, (event) => {
      try {
        recorder.handle(event);
      } catch (err) {
        ctx.logger.error({ err, event: event.type }, 'recorder: could not record an event');
      }
    });
    recorder.pendingDropped = () => intake.dropped;
    ctx.provide('recorder', recorder);

    const types = recorder.interestingTypes();
    // on the emitter's stack: a Set lookup and a push, nothing more (see intake.ts)
    ctx.events.subscribe((event) => {
      if (event.source !== 'recorder' && types.has(event.type)) intake.push(event);
    });
    ctx.admin(adminRoutes(recorder, intake, obs));
    // connect in the background: a missing OBS must not delay startup
    ctx.onStart(() => {
      if (ctx.config.obs) void obs.connect();
    });
    ctx.onStop(async () => {
      intake.flush();
      await recorder.stop();
      await obs.close();
    });
  },
});
