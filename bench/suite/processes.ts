import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { LocalStack } from '../../tools/stack';

/**
 * Stops one process of a LocalStack gracefully (SIGTERM: the pipeline commits what it did and
 * drains its outbox), SIGKILL after `graceMs`. LocalStack itself only stops all of them at once.
 */
export async function stopApp(stack: LocalStack, name: string, graceMs = 15_000): Promise<void> {
  const child = stack.processes.get(name)?.child;
  if (!child) return;
  await stopChild(child, graceMs);
  stack.processes.delete(name);
}

export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface ScriptRun {
  code: number | null;
  stdout: string;
  seconds: number;
}

/**
 * Runs one of the compiled benchmark scripts (dist/bench/*.js) as a child process, echoing its
 * lines with a prefix as they come, and returns what it printed. Killed after `timeoutMs`.
 */
export function runScript(
  script: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; label: string; timeoutMs: number; logFile?: string },
): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [script, ...args], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    let stdout = '';
    const echo = (chunk: Buffer, isStdout: boolean) => {
      const text = chunk.toString();
      if (isStdout) stdout += text;
      log?.write(text);
      for (const line of text.split('\n')) if (line.trim() !== '') console.log(`    [${options.label}] ${line}`);
    };
    child.stdout.on('data', (c: Buffer) => echo(c, true));
    child.stderr.on('data', (c: Buffer) => echo(c, false));
    const timer = setTimeout(() => {
      console.log(`    [${options.label}] still running after ${Math.round(options.timeoutMs / 1000)} s: stopping it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, options.timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      log?.end();
      resolve({ code, stdout, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Starts a compiled script as a long-running process (e.g. the plain kafkajs loop); its output goes to `logFile`. */
export function startScript(script: string, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('exit', () => log.end());
  return child;
}
