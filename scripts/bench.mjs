// `npm run bench -- [--count N]`: the dispatch benchmark (plan, enqueue and send N invitations against Azurite and
// a zero-latency Graph fake), printing throughput, latency percentiles and memory.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeModules, repoRoot } from './tooling.mjs';

ensureNodeModules();
const run = spawnSync('dotnet', ['run', '-c', 'Release', '--project', join('benchmarks', 'FunctionsPortal.Benchmarks'), '--', ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
process.exit(run.status ?? 1);
