// Child processes for the bench: output streamed line by line (indented) and kept for parsing.
import { spawn } from 'node:child_process';
import readline from 'node:readline';

/**
 * Runs `cmd args` and resolves { code, stdout, stderr } when it exits. Lines are echoed with
 * `prefix` unless `echo` is false; lines starting with `RESULT ` are never echoed.
 * `timeoutS` kills the child (and only it) when exceeded.
 */
export function runChild(cmd, args, { cwd, env, prefix = '  ', echo = true, timeoutS = 0 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [], err = [];
    readline.createInterface({ input: child.stdout }).on('line', (l) => {
      out.push(l);
      if (echo && !l.startsWith('RESULT ')) console.log(prefix + l);
    });
    readline.createInterface({ input: child.stderr }).on('line', (l) => {
      err.push(l);
      if (echo) console.log(`${prefix}[stderr] ${l}`);
    });
    let timer = null;
    if (timeoutS > 0) timer = setTimeout(() => { err.push(`killed after ${timeoutS} s`); child.kill('SIGKILL'); }, timeoutS * 1e3);
    child.on('error', (e) => { err.push(String(e)); });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout: out.join('\n'), stderr: err.join('\n') });
    });
  });
}

/** The JSON after the last `RESULT ` line of a child's stdout, or null. */
export function parseResultLine(stdout) {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith('RESULT '));
  return line ? JSON.parse(line.slice(7)) : null;
}
