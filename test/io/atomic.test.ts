import * as realFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends } from '../helpers.js';

/**
 * Failures injected into node:fs as the io module sees it: the disk filling up after the
 * header is written (ENOSPC on the data), and fsync failing (EIO), for both the sync and
 * the async writers. Everything else is the real file system.
 */
const inject = vi.hoisted(() => ({ failDataWrite: false, failSync: false }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const ioError = (code: string) => Object.assign(new Error(`${code}: simulated failure`), { code });
  let writes = 0;
  const writeSync = ((fd: number, ...rest: unknown[]) => {
    // Chunks are [length, header, data...]: the third write is the first data chunk.
    if (inject.failDataWrite && ++writes >= 3) throw ioError('ENOSPC');
    return (fs.writeSync as (...a: unknown[]) => number)(fd, ...rest);
  }) as typeof fs.writeSync;
  const fsyncSync = (fd: number) => {
    if (inject.failSync) throw ioError('EIO');
    fs.fsyncSync(fd);
  };
  const open = async (...args: Parameters<typeof fs.promises.open>) => {
    const handle = await fs.promises.open(...args);
    let asyncWrites = 0;
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'write' && inject.failDataWrite) {
          return async (...a: unknown[]) => {
            if (++asyncWrites >= 3) throw ioError('ENOSPC');
            return (target.write as (...b: unknown[]) => unknown)(...a);
          };
        }
        if (key === 'sync' && inject.failSync) return async () => { throw ioError('EIO'); };
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  const resetWrites = () => { writes = 0; };
  return { ...fs, writeSync, fsyncSync, promises: { ...fs.promises, open }, __resetWrites: resetWrites };
});

const dir = realFs.mkdtempSync(join(tmpdir(), 'myelin-atomic-'));
afterAll(() => realFs.rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  inject.failDataWrite = inject.failSync = false;
  ((await import('node:fs')) as unknown as { __resetWrites(): void }).__resetWrites();
});

const original = { w: my.tensor([1, 2, 3]) };
const replacement = { w: my.tensor([9, 9, 9]), extra: my.zeros([1000]) };

/** The target still holds the original tensors and no temporary file is left beside it. */
function expectUntouched(path: string): void {
  expect(Array.from(my.loadSync(path).w.data)).toEqual([1, 2, 3]);
  expect(realFs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
}

describeBackends('save is atomic: a failed save leaves the previous file intact', () => {
  const savers: [string, (sd: typeof replacement, path: string) => Promise<void> | void][] = [
    ['saveSync', (sd, path) => my.saveSync(sd, path)],
    ['save', (sd, path) => my.save(sd, path)],
  ];
  for (const [name, saver] of savers) {
    it(`${name}: the disk fills up while writing the data`, async () => {
      const path = join(dir, `${name}-full.safetensors`);
      my.saveSync(original, path);
      inject.failDataWrite = true;
      await expect(async () => saver(replacement, path)).rejects.toThrow(
        new RegExp(`${name}: could not write '.*${name}-full.safetensors' \\(ENOSPC: simulated failure\\); any previous file there is unchanged`));
      expectUntouched(path);
    });

    it(`${name}: fsync fails before the rename`, async () => {
      const path = join(dir, `${name}-eio.safetensors`);
      my.saveSync(original, path);
      inject.failSync = true;
      await expect(async () => saver(replacement, path)).rejects.toThrow(/\(EIO: simulated failure\); any previous file there is unchanged/);
      expectUntouched(path);
    });

    it(`${name}: the rename fails (the target is a directory)`, async () => {
      const path = join(dir, `${name}-dir`);
      realFs.mkdirSync(join(path, 'inside'), { recursive: true });
      await expect(async () => saver(replacement, path)).rejects.toThrow(/could not write .*; any previous file there is unchanged/);
      expect(realFs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
      expect(realFs.readdirSync(path)).toEqual(['inside']);
    });

    it(`${name}: a successful save replaces the file`, async () => {
      const path = join(dir, `${name}-ok.safetensors`);
      my.saveSync(original, path);
      await saver(replacement, path);
      expect(Array.from(my.loadSync(path).w.data)).toEqual([9, 9, 9]);
      expect(realFs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    });
  }
});
