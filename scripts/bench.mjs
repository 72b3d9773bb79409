// `npm run bench -- [dispatch] [--count N | --counts N,M]`: the dispatch benchmark (plan, enqueue and send N invitations against
// Azurite and a zero-latency Graph fake), printing throughput, latency percentiles and memory.
// `npm run bench -- vendor [--clients N] [--duration S] [--warmup S] [--journeys N] [--concurrency N] [--registry N]`:
// the vendor pages over real HTTP (survey page, draft save, autosave, whole submissions with 1 MiB uploads, receipts
// verified), printing throughput, latency percentiles, a per-step breakdown of one page and memory.
// `npm run bench -- actions [--vendors N] [--clients N] [--duration S] [--warmup S]`: accepting surveys with findings,
// task sync, follow-up and the action pages (time and storage round trips).
// `npm run bench -- dashboard [--vendors N] [--assignments N] [--clients N] [--duration S] [--warmup S]`: /staff and
// the first page of /staff/vendors at size, printing req/s, latency percentiles and storage round trips per render.
// `npm run bench -- coldstart [--runs N] [--idle S] [--republish]`: publishes the portal and a minimal ASP.NET Core app
// the same way (Release, self-contained linux-x64, ReadyToRun), starts each N times alternately and prints exec → first
// 200 on GET / for both, their ratio, and each app's idle working set.
// `npm run bench -- all [--quick] [--skip NAME,...]`: every benchmark above in turn, then one table of each figure, its
// target and the ratio (the README quotes it) and the total time; non-zero exit when a benchmark failed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeModules, repoRoot } from './tooling.mjs';

ensureNodeModules();
const run = spawnSync('dotnet', ['run', '-c', 'Release', '--project', join('benchmarks', 'FunctionsPortal.Benchmarks'), '--', ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
process.exit(run.status ?? 1);
