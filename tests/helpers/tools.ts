import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Whether a command-line tool is installed; in CI a missing tool is an error, not a skip. */
export function hasTool(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error(`${command} is required in CI (see .ci/run)`);
    console.warn(`skipping: ${command} is not installed (apt-get install it to run these checks)`);
    return false;
  }
}

/** The shared folder of schemas and corpora beside the checkout, when there is one; in CI a missing folder is an error. */
export function sharedDir(envName: string, fallback: string): string | undefined {
  const dir = resolve(process.env[envName] ?? fallback);
  if (existsSync(dir)) return dir;
  if (process.env.CI) throw new Error(`${dir} is required in CI (set ${envName} to point at it)`);
  console.warn(`skipping: ${dir} not found (set ${envName} to point at it)`);
  return undefined;
}
