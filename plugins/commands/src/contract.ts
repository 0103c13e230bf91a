// The commands plugin's contract: the types of the `commands` service, and what the plugin
// adds to the kernel's Services and EventMap (a command.* event per status change, the
// shadow.* events). Device topics come from the fleet's catalogue (`deviceTopics`). Other
// plugins import these types only.

export type CommandStatus = 'QUEUED' | 'SENT' | 'ACKED' | 'COMPLETED' | 'FAILED' | 'TIMED_OUT';

export interface CommandTransition {
  status: CommandStatus;
  at: number;
  /** Why: `retry 2 of 3`, `device rejected: busy`, `expired while offline`, … */
  reason?: string;
}

export interface Command {
  /** Also the correlation id devices echo in their reply. */
  id: string;
  deviceId: string;
  name: string;
  params: Record<string, unknown>;
  status: CommandStatus;
  attempts: number;
  createdAt: number;
  /** Given up on if not delivered by then (the device stayed offline). */
  expiresAt: number;
  result?: unknown;
  error?: string;
  history: CommandTransition[];
  /** Who asked: `rest`, `mqtt`, `edge:<node>`, … */
  origin: string;
}

/** One device, or every device a fleet selector matches. */
export type CommandTarget =
  | { deviceId: string }
  | { selector: { type?: string; ids?: string[]; metadata?: Record<string, string | number | boolean> } };

export interface SendCommand {
  target: CommandTarget;
  name: string;
  params?: Record<string, unknown>;
  /** Per attempt, until the device acks. */
  timeoutMs?: number;
  maxAttempts?: number;
  /** How long a command waits for an offline device. */
  ttlMs?: number;
  origin?: string;
}

/** The `commands` service. */
export interface Commands {
  send(request: SendCommand): Command[];
  get(id: string): Command | undefined;
  list(filter?: { deviceId?: string; status?: CommandStatus }): Command[];
}

/** The data of every `command.*` event. */
export interface CommandEvent {
  id: string;
  deviceId: string;
  name: string;
  attempts: number;
  /** `created`, `attempt 2 of 3`, `device rejected: busy`, … */
  reason?: string;
}

/** The event of each status: one per status change. */
export type CommandEventType = 'command.queued' | 'command.sent' | 'command.acked' | 'command.completed' | 'command.failed' | 'command.timedOut';

declare module '@understudy/kernel' {
  interface Services {
    commands: Commands;
  }
  /** Every event the commands plugin emits. */
  interface EventMap {
    'command.queued': CommandEvent;
    'command.sent': CommandEvent;
    'command.acked': CommandEvent;
    'command.completed': CommandEvent;
    'command.failed': CommandEvent;
    'command.timedOut': CommandEvent;
    /** Every change of a shadow's desired or reported state. */
    'shadow.updated': { deviceId: string; version: number; part: 'desired' | 'reported'; inSync: boolean };
    /** The delta was (re)published on `devices/{id}/shadow/delta`. */
    'shadow.delta': { deviceId: string; version: number; delta: Record<string, unknown>; inSync: boolean };
  }
}
