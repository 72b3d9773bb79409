// Shared by the two README commands (start.mjs, test.mjs): installing npm tools and the browser, and running Azurite.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function log(message) {
  console.log(`[portal] ${message}`);
}

/** Runs `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  const marker = join(repoRoot, 'node_modules', '.package-lock.json');
  const lock = join(repoRoot, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) {
    return;
  }
  log('Installing npm tools (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new Error(`npm ci failed (exit ${result.status}).`);
  }
}

/** Debian's Chromium: what the browser tests drive (through Playwright, which never downloads a browser of its own). */
export const defaultChromium = '/usr/bin/chromium';

/**
 * Makes sure the browser tests have Debian's Chromium and a Japanese font (the portal's pages are in Japanese), installing
 * them with apt-get when missing (`sudo -n` unless root). Returns the Chromium executable, which the tests read from
 * PORTAL_CHROMIUM; throws when it is still missing afterwards. A PORTAL_CHROMIUM set by the caller is used as it is.
 */
export function ensureChromium() {
  const configured = process.env.PORTAL_CHROMIUM;
  const executable = configured || defaultChromium;
  if (configured && !existsSync(configured)) {
    throw new Error(`PORTAL_CHROMIUM is ${configured}, which does not exist: unset it to use Debian's ${defaultChromium}.`);
  }

  const packages = [];
  if (!existsSync(executable)) {
    log(`Chromium is missing (${executable}): installing Debian's chromium and fonts-noto-cjk for the browser tests…`);
    packages.push('chromium', 'fonts-noto-cjk');
  } else if (!hasJapaneseFont()) {
    log('No Japanese font is installed: installing fonts-noto-cjk for the browser tests…');
    packages.push('fonts-noto-cjk');
  }

  if (packages.length > 0) {
    aptGet(['update']);
    aptGet(['install', '-y', '--no-install-recommends', ...packages]);
  }

  if (!existsSync(executable)) {
    throw new Error(`Chromium is still missing at ${executable} after apt-get install chromium: the browser tests cannot run.`);
  }
  if (!hasJapaneseFont()) {
    throw new Error('Still no Japanese font after apt-get install fonts-noto-cjk: Japanese pages would render as empty boxes.');
  }
  log(`Browser for the tests: ${executable} (PORTAL_CHROMIUM), with a Japanese font.`);
  return executable;
}

/** A font for Japanese: `fc-list :lang=ja` when fontconfig's tools are installed, else whether fonts-noto-cjk is. */
function hasJapaneseFont() {
  const fonts = spawnSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8' });
  if (!fonts.error && fonts.status === 0) {
    return fonts.stdout.trim().length > 0;
  }
  // No fc-list (fontconfig's tools are only recommended by Chromium): ask dpkg about the package instead.
  const status = spawnSync('dpkg-query', ['--show', '--showformat=${Status}', 'fonts-noto-cjk'], { encoding: 'utf8' });
  return !status.error && status.status === 0 && status.stdout.includes('install ok installed');
}

/** Runs apt-get non-interactively, through `sudo -n` unless already root; throws when it fails. */
function aptGet(args) {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const [command, commandArgs] = asRoot ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]];
  log(`${asRoot ? '' : 'sudo -n '}apt-get ${args.join(' ')}`);
  const result = spawnSync(command, commandArgs, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error || result.status !== 0) {
    throw new Error(`apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})${asRoot ? '' : ': root or password-less sudo is needed'}.`);
  }
}

/** True when nothing listens on 127.0.0.1:port. */
export function isPortFree(port) {
  return new Promise((resolvePromise) => {
    const server = net.createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

/** The preferred port when free, otherwise one the OS picks. */
export async function pickPort(preferred) {
  if (preferred && (await isPortFree(preferred))) {
    return preferred;
  }
  return new Promise((resolvePromise, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

const accountName = 'devstoreaccount1';
// Azurite's well-known development key: public, and only valid against a local emulator.
const accountKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/**
 * Starts Azurite from node_modules with its data in `location`, on the given ports (0 = any free port).
 * Resolves once all three services listen, with the ports and a connection string.
 */
export function startAzurite({ location, blobPort = 0, queuePort = 0, tablePort = 0 }) {
  mkdirSync(location, { recursive: true });
  const script = join(repoRoot, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
  const args = [
    script,
    '--location', location,
    '--blobPort', String(blobPort), '--queuePort', String(queuePort), '--tablePort', String(tablePort),
    // The Azure SDKs speak a newer storage API version than Azurite knows; the protocol is the same.
    '--skipApiVersionCheck',
    '--disableTelemetry',
    // No access log line per request: nobody reads it, and it cost the emulator an eighth of its CPU.
    '--silent',
  ];
  // Its own process group: Ctrl+C reaches the portal first, and the caller stops Azurite after it.
  const child = spawn(process.execPath, args, { cwd: location, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  process.once('exit', () => { if (child.exitCode === null) child.kill('SIGTERM'); });
  const ports = {};
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`Azurite did not start within 60 s:\n${output}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (code ${code}) during start-up:\n${output}`));
    });
    const onData = (chunk) => {
      output += chunk;
      for (const match of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/g)) {
        ports[match[1].toLowerCase()] = Number(match[2]);
      }
      if (ports.blob && ports.queue && ports.table) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout.off('data', onData);
        child.stdout.resume();
        const base = (port) => `http://127.0.0.1:${port}/${accountName}`;
        resolvePromise({
          process: child,
          ports,
          connectionString:
            `DefaultEndpointsProtocol=http;AccountName=${accountName};AccountKey=${accountKey};` +
            `BlobEndpoint=${base(ports.blob)};QueueEndpoint=${base(ports.queue)};TableEndpoint=${base(ports.table)};`,
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
  });
}
