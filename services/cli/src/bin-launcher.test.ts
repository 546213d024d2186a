import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };

/** Runs the launcher of a package copy in `dir`; resolves whatever the exit code. */
function launch(dir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(dir, pkg.bin.valuepulse as string), ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// npm links bins during `npm ci`, before the build, and skips a bin whose
// target is missing: `valuepulse` must be a committed file, not dist/.
describe('the valuepulse bin', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vp-bin-'));
    await mkdir(join(dir, 'bin'));
    await copyFile(join(pkgDir, pkg.bin.valuepulse as string), join(dir, pkg.bin.valuepulse as string));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is a committed node script outside dist/', async () => {
    expect(pkg.bin.valuepulse).toBe('./bin/valuepulse.mjs');
    expect(await readFile(join(pkgDir, pkg.bin.valuepulse as string), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('says in one line to build when dist/ is missing, exit 1', async () => {
    const { code, stdout, stderr } = await launch(dir, '--help');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/^valuepulse: the CLI is not built \(.*dist\/bin\.js is missing\): run `npm run build`\n$/);
  });

  it('says so too when the build is incomplete', async () => {
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'dist', 'bin.js'), "import './missing.js';\n");
    const { code, stderr } = await launch(dir);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^valuepulse: Cannot find module .*missing\.js.* run `npm run build`/);
  });

  it('runs the built CLI with the arguments and keeps its exit code', async () => {
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'dist', 'bin.js'), "await Promise.resolve();\nprocess.stdout.write(process.argv.slice(2).join(' '));\nprocess.exitCode = 3;\n");
    await chmod(join(dir, 'dist', 'bin.js'), 0o644);
    expect(await launch(dir, 'stack', 'status')).toEqual({ code: 3, stdout: 'stack status', stderr: '' });
  });
});
