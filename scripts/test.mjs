// README command 2 (`npm test`): installs what the tests need (npm tools; Debian's Chromium and a Japanese font for the
// browser tests), runs the whole suite showing its progress, and ends with one line "N passed, N failed, N skipped" (what CI reads).
// The exit code is non-zero when anything failed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium, ensureNodeModules, log, repoRoot } from './tooling.mjs';

ensureNodeModules();
const chromium = ensureChromium();

const resultsDirectory = join(repoRoot, 'TestResults');
const reportName = 'junit.xml';
rmSync(resultsDirectory, { recursive: true, force: true });

log('Running the test suite (dotnet test; ~10 minutes on 2 cores). Progress every 30 s; failures as they happen.');
// Each finished test is a line ("passed …", "failed …"): counted for the progress line, and every line but a pass is
// shown. The totals printed last still come from the JUnit report, not from these counts.
const testStarted = Date.now();
const soFar = { passed: 0, failed: 0, skipped: 0 };
const elapsed = () => {
  const seconds = Math.round((Date.now() - testStarted) / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
};
const child = spawn('dotnet', [
  'test',
  '--results-directory', resultsDirectory,
  '--report-xunit-junit', '--report-xunit-junit-filename', reportName,
  '--output', 'Detailed', '--no-progress', '--no-ansi',
  ...process.argv.slice(2),
], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PORTAL_CHROMIUM: chromium } });
let pending = '';
let lastWasPass = false;
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const outcome = line.match(/^(passed|failed|skipped)\s/);
    if (outcome) soFar[outcome[1]] += 1;
    // A pass is one line and the assembly it came from ("  from …"): both are only counted.
    const quiet = outcome?.[1] === 'passed' || (lastWasPass && line.startsWith('  from '));
    if (outcome) lastWasPass = outcome[1] === 'passed';
    if (!quiet) console.log(line);
  }
});
const heartbeat = setInterval(() => log(soFar.passed + soFar.failed + soFar.skipped === 0
  ? `building and starting the tests (${elapsed()})…`
  : `tests so far (${elapsed()}): ${soFar.passed} passed, ${soFar.failed} failed, ${soFar.skipped} skipped`), 30_000);
const run = await new Promise((resolvePromise) => child.on('close', (status) => resolvePromise({ status })));
clearInterval(heartbeat);
if (pending.length > 0) console.log(pending);

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
  // CI keeps only the tail of the output: name each failed test again, just above the totals, with its message's start.
  const failures = [...xml.matchAll(/<testcase\s([^>]*)>\s*<(failure|error)\s([^>]*)/g)];
  if (failures.length > 0) log(`${failures.length} failed test(s):`);
  for (const [, testcase, , failure] of failures.slice(0, 20)) {
    const value = (attributes, name) => (attributes.match(new RegExp(`(?:^|\\s)${name}="([^"]*)"`)) ?? [null, ''])[1];
    const message = value(failure, 'message').replace(/&#xA;|&#10;|\s+/g, ' ').replace(/&quot;/g, '"').replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>').replace(/&amp;/g, '&').slice(0, 400);
    console.log(`  ✗ ${value(testcase, 'name')}: ${message}`);
  }
}

// A build failure or a crashed test host produces no report: that is a failure, never "0 failed".
if (run.status !== 0 && failed === 0) {
  log(`dotnet test exited with ${run.status} without reporting a failed test (build error or crash): counted as one failure.`);
  failed = 1;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
