#!/usr/bin/env node
// Runs every *.test.ts under the given folders with Node's own test runner (TypeScript through tsx).
// Node 20's --test has no recursive globs, so the file list is built here.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const testFiles = (root) => readdirSync(root, { recursive: true }).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(root, f));

const roots = process.argv.slice(2);
const files = roots.flatMap(testFiles);
if (files.length === 0) {
  console.error(`no *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
