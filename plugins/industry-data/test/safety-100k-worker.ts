// Worker of safety-100k.test.ts: generates N records of the types it is given — each in a data
// set scaled so that type has N entities and every other type keeps its default ratio — and
// runs the safety validator over each, reporting counts, the first problems and the time.
import { parentPort, workerData } from 'node:worker_threads';
import { BUILTIN_INDUSTRIES } from '../src/builtins.js';
import { IndustryDataService } from '../src/service.js';

interface Job {
  industry: string;
  plural: string;
}

const { jobs, records } = workerData as { jobs: Job[]; records: number };
for (const job of jobs) {
  const spec = BUILTIN_INDUSTRIES[job.industry];
  const target = spec.types.find((t) => t.plural === job.plural)!;
  const factor = records / target.count;
  const counts = Object.fromEntries(spec.types.map((t) => [t.plural, t === target ? records : Math.max(1, Math.round(t.count * factor))]));
  const service = new IndustryDataService({
    seed: '100k',
    epoch: '2026-01-01T00:00:00Z',
    industries: [spec],
    counts: { [job.industry]: counts },
    currency: { finance: 'EUR', healthcare: 'USD', retail: 'USD' },
    cache: { maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 },
    maxPageSize: 1000,
    maxScan: 1,
  });
  const started = performance.now();
  let bad = 0;
  const examples: unknown[] = [];
  for (let id = 1; id <= records; id++) {
    const entity = service.get(job.industry, job.plural, String(id))!;
    const problems = service.validate(job.industry, job.plural, entity);
    if (problems.length) {
      bad++;
      if (examples.length < 3) examples.push({ id, problems });
    }
  }
  parentPort!.postMessage({ ...job, records, bad, examples, ms: performance.now() - started });
}
