// README command 1 (`npm start`): Azurite + the portal on the local default, demo data seeded once, URLs printed.
// Ctrl+C stops the portal and then Azurite (only the processes this script started).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, log, pickPort, repoRoot, startAzurite } from './tooling.mjs';

const scriptStarted = Date.now();
const env = process.env;
const number = (name) => (env[name] ? Number(env[name]) : undefined);

ensureNodeModules();

const dataDirectory = join(repoRoot, '.local', 'azurite');
// `npm run verify` finds the running portal here.
const localState = join(repoRoot, '.local', 'portal.json');
// Azurite's usual ports when free (so Storage Explorer finds it), otherwise any free ones; override with AZURITE_*_PORT.
const azurite = await startAzurite({
  location: dataDirectory,
  blobPort: number('AZURITE_BLOB_PORT') ?? (await pickPort(10000)),
  queuePort: number('AZURITE_QUEUE_PORT') ?? (await pickPort(10001)),
  tablePort: number('AZURITE_TABLE_PORT') ?? (await pickPort(10002)),
});
log(`Azurite is listening (blob ${azurite.ports.blob}, queue ${azurite.ports.queue}, table ${azurite.ports.table}); data in ${dataDirectory}`);

const portalPort = number('PORTAL_PORT') ?? (await pickPort(5080));
const portalUrl = `http://127.0.0.1:${portalPort}`;
log('Building the portal (the first run restores packages; give it a minute)…');
const projectDirectory = join(repoRoot, 'src', 'FunctionsPortal');
const build = spawnSync('dotnet', ['build', projectDirectory, '--nologo', '-v', 'quiet', '-clp:NoSummary'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) {
  azurite.process.kill('SIGTERM');
  throw new Error(`dotnet build failed (exit ${build.status}).`);
}

// Run the built app directly (not `dotnet run`), so Ctrl+C and our own stop signal reach it.
const dotnet = spawn('dotnet', [join(projectDirectory, 'bin', 'Debug', 'net10.0', 'FunctionsPortal.dll'), '--urls', portalUrl], {
  cwd: projectDirectory,
  stdio: 'inherit',
  env: {
    ...env,
    ASPNETCORE_ENVIRONMENT: env.ASPNETCORE_ENVIRONMENT ?? 'Development',
    Storage__ConnectionString: azurite.connectionString,
    DemoData__Enabled: 'true',
    Mail__LocalOutboxDirectory: join(repoRoot, '.local', 'outbox'),
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
for (;;) {
  if (stopping) break;
  try {
    const response = await fetch(`${portalUrl}/healthz`);
    if (response.ok) break;
  } catch {
    // not listening yet
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
