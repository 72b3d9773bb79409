// README command 2 (`npm test`): installs what the tests need (npm tools; Debian's Chromium and a Japanese font for the
// browser tests), runs the whole suite, and ends with one line "N passed, N failed, N skipped" (what CI reads).
// The exit code is non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium, ensureNodeModules, log, repoRoot } from './tooling.mjs';

ensureNodeModules();
const chromium = ensureChromium();

const resultsDirectory = join(repoRoot, 'TestResults');
const reportName = 'junit.xml';
rmSync(resultsDirectory, { recursive: true, force: true });

log('Running the test suite (dotnet test)…');
const run = spawnSync('dotnet', [
  'test',
  '--results-directory', resultsDirectory,
  '--report-xunit-junit', '--report-xunit-junit-filename', reportName,
  ...process.argv.slice(2),
], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, PORTAL_CHROMIUM: chromium } });

const report = join(resultsDirectory, reportName);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const xml = readFileSync(report, 'utf8');
  for (const [suite] of xml.matchAll(/<testsuite\s[^>]*>/g)) {
    const attribute = (name) => Number((suite.match(new RegExp(`\\s${name}="(\\d+)"`)) ?? [0, 0])[1]);
    const total = attribute('tests');
    const suiteFailed = attribute('failures') + attribute('errors');
    const suiteSkipped = attribute('skipped');
    failed += suiteFailed;
    skipped += suiteSkipped;
    passed += total - suiteFailed - suiteSkipped;
  }
}

// A build failure or a crashed test host produces no report: that is a failure, never "0 failed".
if (run.status !== 0 && failed === 0) {
  log(`dotnet test exited with ${run.status} without reporting a failed test (build error or crash): counted as one failure.`);
  failed = 1;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
