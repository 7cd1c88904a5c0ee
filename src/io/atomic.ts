import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** A fresh name beside `path`: same directory, so the final rename never crosses file systems. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function explain(fn: string, path: string, e: unknown): Error {
  return new Error(`${fn}: could not write '${path}' (${(e as Error).message}); any previous file there is unchanged`, { cause: e });
}

/** Makes the rename itself durable; some platforms cannot open a directory, which is harmless. */
function syncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Writes `chunks` to `path` atomically: a temporary file in the same directory, written in
 * full and fsynced, then renamed over `path`. Any failure removes the temporary file and
 * leaves the previous `path` untouched.
 */
export function writeFileAtomicSync(fn: string, path: string, chunks: Uint8Array[]): void {
  const tmp = tempPathFor(path);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o644);
    try {
      for (const chunk of chunks) {
        // writeSync may write less than asked (e.g. to some network file systems): loop.
        for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off, chunk.length - off);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw explain(fn, path, e);
  }
  syncDirectorySync(dirname(path));
}

/** The asynchronous twin of writeFileAtomicSync, so a server keeps answering during a save. */
export async function writeFileAtomic(fn: string, path: string, chunks: Uint8Array[]): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    const handle = await fs.promises.open(tmp, 'wx', 0o644);
    try {
      for (const chunk of chunks) {
        for (let off = 0; off < chunk.length; ) off += (await handle.write(chunk, off, chunk.length - off)).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, path);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw explain(fn, path, e);
  }
  syncDirectorySync(dirname(path));
}
