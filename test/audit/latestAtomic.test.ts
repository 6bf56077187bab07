/**
 * `latest/` switches as one unit locally: a run failing half way through writing it leaves the
 * previous `latest/` (or none, on a first run), never a partial or mixed one; a real `latest/`
 * folder left by an older version is replaced too. And SIGINT/SIGTERM wait for the switch.
 */
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { finalizeSweep } from '../../src/audit/finalize.ts';
import { InterruptGuard, type SignalHost } from '../../src/cli/signals.ts';
import { FileStore } from '../../src/storage/reportStorage.ts';
import type { Report } from '../../src/model.ts';
import { compliant, missingSecurity, report } from '../report/fixtures.ts';

/** A folder store whose writes of a new `latest/` version fail from the n-th file on. */
class FailingStore extends FileStore {
  failFrom = Infinity;
  private written = 0;
  protected override async writeVersionFile(path: string, body: string): Promise<void> {
    if (++this.written >= this.failFrom) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    await super.writeVersionFile(path, body);
  }
}

const run = (runId: string, accounts: Report['accounts']): Report => ({ ...report(accounts), runId, startedAt: '2026-11-22T06:00:00.000Z' });
const exists = (path: string) => lstat(path).then(() => true, () => false);
const dirs: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'contact-audit-latest-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** The run id of latest/report.json, once every other file of latest/ is checked to be that run's copy. */
async function latestRunIds(root: string): Promise<string[]> {
  const latest = join(root, 'latest');
  const runId = (JSON.parse(await readFile(join(latest, 'report.json'), 'utf8')) as Report).runId;
  const ids = [runId];
  for (const ext of ['csv', 'md', 'html', 'json']) {
    const own = await readFile(join(root, `runs/2026/11/22/${runId}/report.${ext}`), 'utf8');
    if ((await readFile(join(latest, `report.${ext}`), 'utf8')) !== own) ids.push(`(report.${ext} of another run)`);
  }
  return ids;
}

describe('latest/ in a local folder', () => {
  it('a first run failing half way through latest/ leaves no latest/ at all', async () => {
    const root = await folder();
    const store = new FailingStore(root);
    store.failFrom = 2;
    const first = finalizeSweep({ report: run('2026-11-22T06-00-00Z-aaaaaa', [compliant('111111111111')]), storage: store, prefix: '', maxAlertsPerSweep: 25 });
    await expect(first).rejects.toThrow(/no space left/);
    expect(await exists(join(root, 'latest'))).toBe(false);
    // The run itself is kept under runs/.
    expect(await exists(join(root, 'runs/2026/11/22/2026-11-22T06-00-00Z-aaaaaa/report.json'))).toBe(true);
  });

  it('a later run failing half way leaves the previous latest/ whole', async () => {
    const root = await folder();
    const store = new FailingStore(root);
    await finalizeSweep({ report: run('2026-11-22T06-00-00Z-aaaaaa', [compliant('111111111111')]), storage: store, prefix: '', maxAlertsPerSweep: 25 });
    const failing = new FailingStore(root);
    failing.failFrom = 3;
    await expect(
      finalizeSweep({ report: run('2026-11-22T07-00-00Z-bbbbbb', [missingSecurity('111111111111')]), storage: failing, prefix: '', maxAlertsPerSweep: 25 }),
    ).rejects.toThrow(/no space left/);
    expect(await latestRunIds(root)).toEqual(['2026-11-22T06-00-00Z-aaaaaa']);
    expect((await readdir(join(root, 'latest'))).sort()).toEqual(['report.csv', 'report.html', 'report.json', 'report.md']);
  });

  it('replaces a real latest/ folder left by an older version, and the next run switches the link', async () => {
    const root = await folder();
    await mkdir(join(root, 'latest'));
    for (const ext of ['json', 'csv', 'md', 'html']) await writeFile(join(root, 'latest', `report.${ext}`), 'old');
    const store = new FileStore(root);
    await finalizeSweep({ report: run('2026-11-22T06-00-00Z-aaaaaa', [compliant('111111111111')]), storage: store, prefix: '', maxAlertsPerSweep: 25 });
    expect(await latestRunIds(root)).toEqual(['2026-11-22T06-00-00Z-aaaaaa']);
    expect((await lstat(join(root, 'latest'))).isSymbolicLink()).toBe(true);
    const second = await finalizeSweep({ report: run('2026-11-22T07-00-00Z-bbbbbb', [compliant('111111111111')]), storage: store, prefix: '', maxAlertsPerSweep: 25 });
    // The baseline was read through the link.
    expect(second.previous?.runId).toBe('2026-11-22T06-00-00Z-aaaaaa');
    expect(await latestRunIds(root)).toEqual(['2026-11-22T07-00-00Z-bbbbbb']);
    // Old versions are cleaned up: one version folder left.
    expect(await readdir(join(root, '.latest-versions'))).toHaveLength(1);
  });
});

describe('InterruptGuard', () => {
  function host() {
    const listeners = new Map<string, () => void>();
    const exits: number[] = [];
    const h: SignalHost = {
      on: (signal, listener) => listeners.set(signal, listener),
      off: (signal) => listeners.delete(signal),
      exit: (code) => void exits.push(code),
    };
    return { h, exits, send: (signal: 'SIGINT' | 'SIGTERM') => listeners.get(signal)?.() };
  }

  it('outside the critical step, exits at once: 130 for SIGINT, 143 for SIGTERM', () => {
    const a = host();
    new InterruptGuard(a.h).install();
    a.send('SIGINT');
    const b = host();
    new InterruptGuard(b.h).install();
    b.send('SIGTERM');
    expect([a.exits, b.exits]).toEqual([[130], [143]]);
  });

  it('during the critical step, waits until it is done, then exits 143', async () => {
    const { h, exits, send } = host();
    const guard = new InterruptGuard(h).install();
    const steps: string[] = [];
    await guard.critical(async () => {
      send('SIGTERM');
      steps.push(`exits during: ${exits.length}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      steps.push('switched');
    });
    expect(steps).toEqual(['exits during: 0', 'switched']);
    expect(exits).toEqual([143]);
  });

  it('a second signal during the critical step exits at once', async () => {
    const { h, exits, send } = host();
    const guard = new InterruptGuard(h).install();
    await guard.critical(async () => {
      send('SIGINT');
      send('SIGINT');
      expect(exits).toEqual([130]);
    });
  });
});
