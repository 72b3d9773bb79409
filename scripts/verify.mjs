// `npm run verify -- <receipt.json> [--url URL]`: asks a running portal to check a receipt (the sealed JSON a vendor
// downloads): the payload's SHA-256, the signature under the recorded Key Vault key version, that storage holds the
// same sealed version, and every evidence file's hash. Prints each check; exits 0 only when all pass.
// The URL defaults to the local portal `npm start` runs (recorded in .local/portal.json). Locally it signs in through
// the development staff header; against Azure pass an Entra access token in PORTAL_BEARER_TOKEN (Easy Auth accepts it).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, repoRoot } from './tooling.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index >= 0 ? args.splice(index, 2)[1] : undefined;
};
const explicitUrl = option('--url') ?? process.env.PORTAL_URL;
const [receiptPath] = args;
if (!receiptPath || !existsSync(receiptPath)) {
  console.error('Usage: npm run verify -- <receipt.json> [--url http://127.0.0.1:5080]');
  process.exit(2);
}

const localState = join(repoRoot, '.local', 'portal.json');
const url = explicitUrl ?? (existsSync(localState) ? JSON.parse(readFileSync(localState, 'utf8')).url : undefined);
if (!url) {
  console.error('No portal URL: start the portal with `npm start`, or pass --url.');
  process.exit(2);
}

const headers = { 'content-type': 'application/json' };
if (process.env.PORTAL_BEARER_TOKEN) {
  headers.authorization = `Bearer ${process.env.PORTAL_BEARER_TOKEN}`;
} else {
  headers['x-development-staff'] = 'verify@localhost; Portal.Reviewer';
}

log(`Verifying ${receiptPath} against ${url}…`);
const response = await fetch(new URL('/api/receipts/verify', url), { method: 'POST', headers, body: readFileSync(receiptPath) });
if (!response.ok) {
  console.error(`The portal answered ${response.status}: ${await response.text()}`);
  process.exit(2);
}

const report = await response.json();
for (const check of report.checks) {
  console.log(`${check.passed ? 'PASS' : 'FAIL'}  ${check.check.padEnd(9)} ${check.detail}`);
}
console.log(report.valid
  ? `VALID: ${report.assignmentKey} v${report.version}, sha256 ${report.sha256}`
  : `INVALID: ${report.assignmentKey ?? 'unknown assignment'} v${report.version ?? '?'}`);
process.exit(report.valid ? 0 : 1);
