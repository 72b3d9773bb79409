// README command 1 (`npm start`): Azurite + the portal on the local default, demo data seeded once, URLs printed.
// Each step is announced and the build reports as it goes. `npm start -- --reset` (or `npm run reset-demo`) first
// deletes this clone's local Azurite data and outbox, so the demo data is seeded afresh.
// Ctrl+C stops the portal and then Azurite (only the processes this script started).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensureNodeModules, log, pickPort, repoRoot, startAzurite } from './tooling.mjs';

const scriptStarted = Date.now();
const env = process.env;
// A port of 0 (or none) means: pick a free one — the app would bind any port, but links and the health check need to know which.
const number = (name) => (Number(env[name]) > 0 ? Number(env[name]) : undefined);

const steps = 4;
const step = (number, message) => log(`[${number}/${steps}] ${message}`);

step(1, 'npm tools (Azurite)…');
ensureNodeModules();

const dataDirectory = join(repoRoot, '.local', 'azurite');
const outboxDirectory = join(repoRoot, '.local', 'outbox');
// `npm run verify` finds the running portal here.
const localState = join(repoRoot, '.local', 'portal.json');

if (process.argv.includes('--reset')) {
  resetDemoData();
}

/**
 * Deletes this clone's local emulator data (and the local outbox), nothing else: it refuses when the portal is
 * pointed at other storage through the environment, or when this clone's portal is still running.
 */
function resetDemoData() {
  const pointedElsewhere = Object.keys(env).filter((name) => /^Storage__|^AzureWebJobsStorage/i.test(name));
  if (pointedElsewhere.length > 0) {
    throw new Error(`--reset only deletes the local Azurite data of this clone; unset ${pointedElsewhere.join(', ')} first (it points the portal at other storage).`);
  }
  if (existsSync(localState)) {
    const { pid } = JSON.parse(readFileSync(localState, 'utf8'));
    let running = false;
    try { process.kill(pid, 0); running = true; } catch { /* gone: a stale file */ }
    if (running) {
      throw new Error(`The portal of this clone is running (npm start, process ${pid}): stop it with Ctrl+C before --reset.`);
    }
  }
  for (const directory of [dataDirectory, outboxDirectory]) {
    // Only ever a folder inside this clone's .local: never a path from the environment.
    if (relative(join(repoRoot, '.local'), resolve(directory)).startsWith('..')) {
      throw new Error(`Refusing to delete ${directory}: not inside ${join(repoRoot, '.local')}.`);
    }
    rmSync(directory, { recursive: true, force: true });
  }
  log(`Reset: deleted the local Azurite data (${dataDirectory}) and outbox; the demo data is seeded again on start.`);
}
// Azurite's usual ports when free (so Storage Explorer finds it), otherwise any free ones; override with AZURITE_*_PORT.
step(2, 'Starting Azurite (local storage emulator)…');
const azurite = await startAzurite({
  location: dataDirectory,
  blobPort: number('AZURITE_BLOB_PORT') ?? (await pickPort(10000)),
  queuePort: number('AZURITE_QUEUE_PORT') ?? (await pickPort(10001)),
  tablePort: number('AZURITE_TABLE_PORT') ?? (await pickPort(10002)),
});
log(`Azurite is listening (blob ${azurite.ports.blob}, queue ${azurite.ports.queue}, table ${azurite.ports.table}); data in ${dataDirectory}`);

const portalPort = number('PORTAL_PORT') ?? (await pickPort(5080));
const portalUrl = `http://127.0.0.1:${portalPort}`;
step(3, 'Building the portal (dotnet build; the first run restores packages, about a minute)…');
const projectDirectory = join(repoRoot, 'src', 'FunctionsPortal');
const build = await buildWithProgress(projectDirectory);
if (build !== 0) {
  azurite.process.kill('SIGTERM');
  throw new Error(`dotnet build failed (exit ${build}); its errors are above.`);
}

/** dotnet build, summarised: restore and each project built as they happen, errors and warnings, and a heartbeat. */
function buildWithProgress(directory) {
  const buildStarted = Date.now();
  const child = spawn('dotnet', ['build', directory, '--nologo', '-v', 'minimal', '-clp:NoSummary'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const heartbeat = setInterval(() => log(`      still building (${Math.round((Date.now() - buildStarted) / 1000)} s)…`), 10_000);
  let pending = '';
  const onData = (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      // NU1603 (a nearer package version resolved) is known and harmless; every other warning or error is shown.
      if (/ -> |Restored |error |warning [A-Z]+[0-9]+/.test(line) && !/warning NU1603/.test(line)) console.log(`      ${line.trim()}`);
    }
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  return new Promise((resolvePromise) => child.on('close', (code) => {
    clearInterval(heartbeat);
    log(`      built in ${((Date.now() - buildStarted) / 1000).toFixed(1)} s`);
    resolvePromise(code ?? 1);
  }));
}

step(4, `Starting the portal on ${portalUrl} and waiting until it is healthy (demo data is seeded on the first run)…`);
// Run the built app directly (not `dotnet run`), so Ctrl+C and our own stop signal reach it.
const dotnet = spawn('dotnet', [join(projectDirectory, 'bin', 'Debug', 'net10.0', 'FunctionsPortal.dll'), '--urls', portalUrl], {
  cwd: projectDirectory,
  stdio: 'inherit',
  env: {
    ...env,
    ASPNETCORE_ENVIRONMENT: env.ASPNETCORE_ENVIRONMENT ?? 'Development',
    Storage__ConnectionString: azurite.connectionString,
    DemoData__Enabled: 'true',
    Mail__LocalOutboxDirectory: outboxDirectory,
    Surveys__PortalBaseUrl: portalUrl,
  },
});

let stopping = false;
function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  if (dotnet.exitCode === null) dotnet.kill('SIGINT');
  const finish = () => {
    rmSync(localState, { force: true });
    azurite.process.kill('SIGTERM');
    log('Stopped the portal and Azurite.');
    process.exit(exitCode);
  };
  if (dotnet.exitCode === null) dotnet.once('exit', finish); else finish();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
dotnet.on('exit', (code) => stopAll(code ?? 0));
azurite.process.on('exit', (code) => {
  if (!stopping) {
    log(`Azurite stopped unexpectedly (exit ${code}); stopping the portal.`);
    stopAll(1);
  }
});

// Wait until the portal reports healthy storage, then say where everything is.
const started = Date.now();
let lastWord = started;
for (;;) {
  if (stopping) break;
  try {
    const response = await fetch(`${portalUrl}/healthz`);
    if (response.ok) break;
  } catch {
    // not listening yet
  }
  if (Date.now() - lastWord > 15_000) {
    lastWord = Date.now();
    log(`      waiting for ${portalUrl}/healthz (${Math.round((Date.now() - started) / 1000)} s)…`);
  }
  if (Date.now() - started > 300_000) {
    log('The portal did not become healthy within 5 minutes; see the output above.');
    stopAll(1);
    break;
  }
  await new Promise((resolvePromise) => setTimeout(resolvePromise, 500));
}

if (!stopping) {
  mkdirSync(join(repoRoot, '.local'), { recursive: true });
  writeFileSync(localState, JSON.stringify({ url: portalUrl, pid: process.pid }));
}

if (!stopping) {
  const seconds = ((Date.now() - scriptStarted) / 1000).toFixed(1);
  console.log(`
  FunctionsPortal is running (healthy after ${seconds} s) — local default: Azurite, demo data, no Azure account.

    Portal         ${portalUrl}/
    Reset demo     npm run reset-demo   (after stopping: deletes .local/azurite and .local/outbox, seeds again)
    Mail outbox    ${portalUrl}/outbox   (survey invitations with working links; .eml files in .local/outbox)
    Staff console  ${portalUrl}/staff    (development sign-in: pick a name and a role)
    Actions        ${portalUrl}/staff/actions   (corrective actions; /staff/actions/tasks is the local stand-in for Planner)
    Health         ${portalUrl}/healthz
    API (OpenAPI)  ${portalUrl}/openapi/v1.json
    Staff API      curl -H 'X-Development-Staff: you@example.com; Portal.Admin' ${portalUrl}/api/assignments
    Verify         npm run verify -- <downloaded receipt.json>
    Azurite        ${azurite.connectionString}

  Press Ctrl+C to stop the portal and Azurite.
`);
}
