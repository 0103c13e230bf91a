// Commands as other plugins see them: the `commands` service.

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
