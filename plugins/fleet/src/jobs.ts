// Long bulk work (provisioning thousands, bulk connect/decommission) runs as a job whose
// progress GET /__admin/fleet/jobs/:id reports. Jobs are kept in a bounded map: the
// oldest finished ones go first once maxJobs is reached.
import type { Clock } from '@understudy/plugin-sdk';

export type JobAction = 'provision' | 'decommission' | 'connect' | 'disconnect' | 'update';
export type JobState = 'running' | 'completed' | 'failed';

export interface JobView {
  id: string;
  action: JobAction;
  state: JobState;
  total: number;
  done: number;
  failed: number;
  /** Devices the action does not apply to (e.g. connect of an external device). */
  skipped: number;
  /** The first errors (at most 20), with the device they concern. */
  errors: Array<{ id?: string; message: string }>;
  createdAt: number;
  finishedAt?: number;
  /** Ids the job created (provisioning), when there are at most 1000 of them. */
  ids?: string[];
}

const MAX_ERRORS = 20;

export class Job {
  readonly view: JobView;

  constructor(
    id: string,
    action: JobAction,
    total: number,
    private readonly clock: Clock,
    private readonly onFinish: (job: Job) => void,
  ) {
    this.view = { id, action, state: 'running', total, done: 0, failed: 0, skipped: 0, errors: [], createdAt: clock.now() };
  }

  succeeded(n = 1): void {
    this.view.done += n;
  }

  skipped(n = 1): void {
    this.view.skipped += n;
    this.view.done += n;
  }

  fail(message: string, id?: string): void {
    this.view.failed++;
    this.view.done++;
    if (this.view.errors.length < MAX_ERRORS) this.view.errors.push({ ...(id !== undefined && { id }), message });
  }

  /** The job as a whole could not go on (e.g. a duplicate id in a background provision). */
  abort(message: string): void {
    if (this.view.errors.length < MAX_ERRORS) this.view.errors.push({ message });
    this.finish('failed');
  }

  finish(state: JobState = 'completed'): void {
    if (this.view.state !== 'running') return;
    this.view.state = state;
    this.view.finishedAt = this.clock.now();
    this.onFinish(this);
  }

  snapshot(): JobView {
    return { ...this.view, errors: [...this.view.errors], ...(this.view.ids && { ids: [...this.view.ids] }) };
  }
}

export class Jobs {
  private readonly jobs = new Map<string, Job>();
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    readonly max: number,
  ) {}

  create(action: JobAction, total: number): Job {
    const job = new Job(`job-${++this.counter}`, action, total, this.clock, () => this.evict());
    this.jobs.set(job.view.id, job);
    this.evict();
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  running(): number {
    let n = 0;
    for (const job of this.jobs.values()) if (job.view.state === 'running') n++;
    return n;
  }

  /** Drop the oldest finished jobs beyond `max` (running jobs are never dropped). */
  private evict(): void {
    if (this.jobs.size <= this.max) return;
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= this.max) break;
      if (job.view.state !== 'running') this.jobs.delete(id);
    }
  }
}
