import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** Evaluates an XPath 1.0 expression over a document with libxml2's xmllint (a real XML parser). */
export function xpath(file: string, expression: string): string {
  return execFileSync('xmllint', ['--xpath', expression, file], { encoding: 'utf8' }).trim();
}

/** Runs xmllint on a file; returns its exit code and messages (0 and '' when well-formed and, if given, schema-valid). */
export function xmllint(file: string, args: string[] = []): { code: number; output: string } {
  try {
    execFileSync('xmllint', ['--noout', ...args, file], { encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output: '' };
  } catch (error) {
    const failure = error as { status: number; stderr: string };
    return { code: failure.status, output: failure.stderr };
  }
}

export function writeTemp(dir: string, name: string, text: string): string {
  const file = `${dir}/${name}`;
  writeFileSync(file, text);
  return file;
}
