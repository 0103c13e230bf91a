// The scenarios plugin: timed scenario scripts (YAML) on the kernel clock — steps at times,
// after other steps or on events; data progressions; waypoints; start, pause, resume, jump,
// rewind and speed over REST and a WebSocket. Data changes go through the `sessions`
// service of the personas plugin when it is loaded (optional: without it steps still run
// and emit their events).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { definePlugin, KernelErrors } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { formatProblems } from './compile.js';
import { ScenariosConfigSchema } from './config.js';
import { ScenarioErrors } from './errors.js';
import type { CompiledScript } from './script.js';
import { ScenarioService } from './service.js';
import { scenarioSocket } from './websocket.js';

export { ScenarioService } from './service.js';
export { ScenariosConfigSchema, type ScenariosConfig } from './config.js';
export { ScenarioErrors } from './errors.js';
export { compileScript, formatProblems } from './compile.js';
export { parseDuration, formatDuration } from './duration.js';
export { COMMAND_NAMES, parseCommand } from './commands.js';
export type * from './contract.js';

export default definePlugin({
  name: 'scenarios',
  version: '0.1.0',
  description: 'Timed scenario scripts (YAML) on the kernel clock: data progressions, waypoints, controls over REST and WebSocket.',
  optionalDependencies: ['sessions'],
  provides: ['scenarios'],
  config: ScenariosConfigSchema,
  register(ctx) {
    const config = ctx.config;
    const service = new ScenarioService({ clock: ctx.clock, events: ctx.events, sessions: () => ctx.resolveOptional('sessions'), config });
    ctx.provide('scenarios', service);

    // config scripts: every problem of every script, with its path, before anything starts
    const problems: string[] = [];
    const compiled: Array<{ script: CompiledScript; prefix: string; index: number }> = [];
    config.scripts.forEach((entry, i) => {
      const where = `plugins.scenarios.scripts[${i}]`;
      let input: unknown = entry;
      let source = 'config';
      if (typeof entry === 'string') {
        source = entry;
        try {
          input = readFileSync(resolve(ctx.baseDir, entry), 'utf8');
        } catch (err) {
          problems.push(`${where}: ${new ScenarioErrors.SCRIPT_FILE(entry, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message).message}`);
          return;
        }
      }
      const prefix = `${where}${typeof entry === 'string' ? ` (${entry})` : ''}.`;
      try {
        // entities are looked up at start, once the sessions service has its data
        compiled.push({ script: service.compileOrThrow(input, source, { prefix, checkEntities: false }), prefix, index: i });
      } catch (err) {
        problems.push(...(err as Error).message.split('\n').slice(1));
      }
    });
    const names = new Map<string, number>();
    for (const { script, index } of compiled) {
      if (names.has(script.name)) problems.push(`plugins.scenarios.scripts[${index}].name: "${script.name}" is also the name of scripts[${names.get(script.name)}]`);
      else names.set(script.name, index);
    }
    for (const name of config.autostart) if (!names.has(name)) problems.push(`plugins.scenarios.autostart: no script named "${name}" in plugins.scenarios.scripts`);
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));

    ctx.onStart(() => {
      const entityProblems = compiled.flatMap(({ script, prefix }) => formatProblems(service.entityProblems(script), prefix));
      if (entityProblems.length) throw new KernelErrors.CONFIG_INVALID(entityProblems.join('\n'));
      for (const { script } of compiled) service.load(script.input, script.source, { checkEntities: false });
      for (const name of config.autostart) service.execute({ command: 'start', scenario: name });
    });
    ctx.onStop(() => service.stopAll());

    ctx.admin(adminRoutes(service));
    const socket = scenarioSocket({ service, events: ctx.events, logger: ctx.logger, maxClients: config.maxClients });
    ctx.websocket('/__admin/scenarios/ws', socket.handler);
  },
});
