#!/usr/bin/env node
/**
 * `npm run build` and `npm start`'s prestart: compiles with tsc (tsconfig.build.json) only when
 * dist/ is missing or older than a source, so that starting an up-to-date build costs a directory
 * walk (tens of ms) instead of a type-check (5 to 12 s). `--force` always compiles.
 *
 * dist/.build-stamp marks a complete build; its time is the moment the build STARTED, so a source
 * saved while tsc runs is still seen as newer next time. When the stamp or dist/src/main.js is
 * missing, tsc's incremental state (dist/.tsbuildinfo.build) is removed first: tsc trusts that file
 * and would otherwise emit nothing for outputs that were deleted.
 *
 * Plain CommonJS (not compiled): it has to run before there is a dist/.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

/** What the build reads: a change to any of them (or a file added or removed there) means rebuild. */
const INPUT_DIRS = ['src', 'migrations', 'bench', 'scripts'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
const STAMP = join('dist', '.build-stamp');
const BUILD_INFO = join('dist', '.tsbuildinfo.build');
const ENTRY = join('dist', 'src', 'main.js');

/**
 * Newest modification time (ms) among the inputs under `root`: the TypeScript files tsc compiles
 * (spec files are not built) and the folders holding them (a file added or removed). Other files
 * there (bench/results.json) are not inputs.
 */
function newestInput(root) {
  let newest = 0;
  const visit = (path) => {
    const st = statSync(path);
    newest = Math.max(newest, st.mtimeMs); // a directory's time moves when an entry is added or removed
    if (!st.isDirectory()) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(path, entry.name));
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(join(path, entry.name)).mtimeMs);
    }
  };
  for (const d of INPUT_DIRS) if (existsSync(join(root, d))) visit(join(root, d));
  for (const f of INPUT_FILES) if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

/** Why `root` needs a build, or null when dist/ is complete and newer than every input. */
function staleReason(root) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp) || !existsSync(join(root, ENTRY))) return 'no complete build in dist/';
  return newestInput(root) > statSync(stamp).mtimeMs ? 'sources changed since the last build' : null;
}

/** Compiles `root` with its tsc; answers tsc's exit status. */
function build(root) {
  const started = new Date();
  if (!existsSync(join(root, STAMP)) || !existsSync(join(root, ENTRY))) rmSync(join(root, BUILD_INFO), { force: true });
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    process.stderr.write('ensure-build: typescript is not installed (npm ci installs it): cannot compile\n');
    return 1;
  }
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) return r.status ?? 1;
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, STAMP), `${started.toISOString()}\n`);
  utimesSync(join(root, STAMP), started, started);
  return 0;
}

function main(argv) {
  const root = process.cwd();
  const force = argv.includes('--force');
  const reason = force ? 'forced' : staleReason(root);
  if (!reason) return 0;
  process.stderr.write(`ensure-build: compiling (${reason})\n`);
  return build(root);
}

module.exports = { staleReason, build, newestInput };

if (require.main === module) process.exit(main(process.argv.slice(2)));
