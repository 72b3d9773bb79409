// `npm run bench -- [dispatch] [--count N]`: the dispatch benchmark (plan, enqueue and send N invitations against
// Azurite and a zero-latency Graph fake), printing throughput, latency percentiles and memory.
// `npm run bench -- vendor [--clients N] [--duration S] [--warmup S] [--journeys N] [--concurrency N] [--registry N]`:
// the vendor pages over real HTTP (survey page, draft save, autosave, whole submissions with 1 MiB uploads, receipts
// verified), printing throughput, latency percentiles, a per-step breakdown of one page and memory.
// `npm run bench -- actions [--vendors N] [--clients N] [--duration S] [--warmup S]`: accepting surveys with findings,
// task sync, follow-up and the action pages (time and storage round trips).
// `npm run bench -- dashboard [--vendors N] [--assignments N] [--clients N] [--duration S] [--warmup S]`: /staff and
// the first page of /staff/vendors at size, printing req/s, latency percentiles and storage round trips per render.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeModules, repoRoot } from './tooling.mjs';

ensureNodeModules();
const run = spawnSync('dotnet', ['run', '-c', 'Release', '--project', join('benchmarks', 'FunctionsPortal.Benchmarks'), '--', ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
process.exit(run.status ?? 1);
