// A take's scenario clock: which scenario time is showing at which wall time. The
// scenarios plugin announces every change of pace (started, paused, resumed, speed,
// jumped) with the scenario time `at` and the kernel time `wallAt` it happened at; between
// two announcements the scenario runs at its speed or stands still. From those segments:
// - "now" in scenario time, for an annotation made now;
// - the wall time a past scenario time was showing, for an annotation made "at 90 s"
//   (after a rewind a scenario time may have shown twice: the latest showing counts).
// Segments are bounded (a take of a demo has a handful; a script of jumps cannot grow it).

interface Segment {
  /** Scenario ms at the start of the segment. */
  at: number;
  /** Kernel ms at the start of the segment. */
  wallAt: number;
  speed: number;
  running: boolean;
}

const MAX_SEGMENTS = 1000;

export class Timeline {
  private readonly segments: Segment[] = [];

  constructor(at: number, wallAt: number, speed: number) {
    this.segments.push({ at, wallAt, speed, running: true });
  }

  private get last(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  private add(segment: Segment): void {
    if (this.segments.length >= MAX_SEGMENTS) this.segments.splice(0, this.segments.length - MAX_SEGMENTS + 1);
    this.segments.push(segment);
  }

  paused(at: number, wallAt: number): void {
    this.add({ at, wallAt, speed: this.last.speed, running: false });
  }

  resumed(at: number, wallAt: number): void {
    this.add({ at, wallAt, speed: this.last.speed, running: true });
  }

  /** A new speed, a jump or a rewind: the scenario shows `at` from `wallAt` on. */
  moved(at: number, wallAt: number, speed = this.last.speed): void {
    this.add({ at, wallAt, speed, running: this.last.running });
  }

  /** Scenario ms showing at kernel time `wall` (at or after the last change). */
  scenarioAt(wall: number): number {
    const s = this.last;
    return Math.floor(s.running ? s.at + Math.max(0, wall - s.wallAt) * s.speed : s.at);
  }

  /**
   * The kernel time scenario time `at` was showing, latest first; undefined when it has
   * not shown in this take (in the future, or before the take's first segment).
   */
  wallAtOf(at: number, now: number): number | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      const endWall = i + 1 < this.segments.length ? this.segments[i + 1]!.wallAt : now;
      const endAt = s.running ? s.at + (endWall - s.wallAt) * s.speed : s.at;
      if (at >= s.at && at <= endAt) return s.running ? s.wallAt + Math.round((at - s.at) / s.speed) : s.wallAt;
    }
    return undefined;
  }
}
