import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '../../scripts/ensure-build.js');

/**
 * npm start's prestart (scripts/ensure-build.js) on a project of one file: it compiles when dist/
 * is missing or older than a source, and only then.
 */
describe('ensure-build (prestart)', () => {
  let root: string;
  const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const entry = () => join(root, 'dist/src/main.js');
  const answer = () => spawnSync(process.execPath, ['-p', `require(${JSON.stringify(entry())}).answer`], { encoding: 'utf8' }).stdout.trim();
  const mtime = (p: string) => statSync(p).mtimeMs;
  const age = (p: string, seconds: number) => {
    const t = new Date(Date.now() - seconds * 1000);
    utimesSync(p, t, t);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ensure-build-'));
    symlinkSync(resolve(__dirname, '../../node_modules'), join(root, 'node_modules'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/main.ts'), 'export const answer: number = 42;\n');
    writeFileSync(
      join(root, 'tsconfig.build.json'),
      JSON.stringify({ compilerOptions: { outDir: './dist', rootDir: '.', incremental: true, tsBuildInfoFile: './dist/.tsbuildinfo.build', module: 'commonjs', types: [], skipLibCheck: true }, include: ['src'] }),
    );
    expect(run().status).toBe(0);
    // Inputs one minute older than the build, as after an earlier checkout.
    age(join(root, 'src/main.ts'), 60);
    age(join(root, 'src'), 60);
    age(join(root, 'tsconfig.build.json'), 60);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('compiles a project that has no dist/ yet', () => {
    expect(answer()).toBe('42');
  });

  it('does not recompile an up-to-date build', () => {
    const before = mtime(entry());
    const r = run();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(mtime(entry())).toBe(before);
  });

  it('recompiles when a source is newer than the build', () => {
    writeFileSync(join(root, 'src/main.ts'), 'export const answer: number = 43;\n');
    const r = run();
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/sources changed/);
    expect(answer()).toBe('43');
  });

  it('does not recompile for a file that tsc does not compile (bench/results.json written by a bench)', () => {
    const before = mtime(entry());
    writeFileSync(join(root, 'src/results.json'), '{}\n');
    age(join(root, 'src'), 60); // the folder's time: as when the file existed before
    const r = run();
    expect(r.stderr).toBe('');
    expect(mtime(entry())).toBe(before);
  });

  it('emits again outputs deleted while tsc\'s incremental state was kept', () => {
    rmSync(join(root, 'dist/src'), { recursive: true });
    const r = run();
    expect(r.status).toBe(0);
    expect(statSync(entry()).isFile()).toBe(true);
  });

  it('fails with tsc\'s status when the sources do not compile', () => {
    writeFileSync(join(root, 'src/main.ts'), 'export const answer: number = "forty-two";\n');
    expect(run().status).not.toBe(0);
    expect(run().stderr).toMatch(/sources changed/); // the failed build left the stamp behind: still stale
  });
});
