#!/usr/bin/env node
// Checks what dependency-cruiser cannot see through workspace symlinks: every
// `@valuepulse/*` package a package's sources import is declared in its
// package.json and listed in its tsconfig.json references (or `tsc -b` would
// build packages in the wrong order). Prints each problem; exit 1 if any.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const packages = new Map(); // name → dir
for (const group of ['libs', 'services']) {
  for (const dir of readdirSync(join(root, group))) {
    const pkgDir = join(root, group, dir);
    try {
      packages.set(JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name, pkgDir);
    } catch {
      // not a package
    }
  }
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    // tests and their fixtures may import test-only packages (testkit); they are not built into the package
    else if (/\.ts$/.test(entry) && !/\.(test|fixture)\.ts$/.test(entry)) yield path;
  }
}

const problems = [];
for (const [name, dir] of packages) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const declared = new Set(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }));
  const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
  const referenced = new Set((tsconfig.references ?? []).map((r) => resolve(dir, r.path)));
  const imported = new Set();
  for (const file of sourceFiles(join(dir, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/from\s+'(@valuepulse\/[a-z-]+)(?:\/[^']*)?'|import\s+'(@valuepulse\/[a-z-]+)/g)) {
      imported.add(match[1] ?? match[2]);
    }
  }
  for (const dep of imported) {
    if (dep === name) continue;
    if (!packages.has(dep)) problems.push(`${name}: imports ${dep}, which is not a workspace package`);
    if (!declared.has(dep)) problems.push(`${name}: imports ${dep} but its package.json does not declare it`);
    if (packages.has(dep) && !referenced.has(packages.get(dep))) {
      problems.push(`${name}: imports ${dep} but tsconfig.json has no reference to ${relative(dir, packages.get(dep))}`);
    }
  }
}
for (const p of problems) console.error(`check-workspace: ${p}`);
if (problems.length > 0) process.exit(1);
console.log(`check-workspace: ${packages.size} packages, imports declared and referenced`);
