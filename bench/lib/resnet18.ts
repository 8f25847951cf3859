/**
 * Issue 16's benchmark model, made on demand: a torchvision ResNet-18 for 1x28x28 inputs, written by
 * scripts/bench/make_resnet18.py with Debian's python3-torch into .artifacts/bench/ (git-ignored; 45 MB is
 * not committed). Made once, reused by later runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const MODEL = join(REPO, '.artifacts', 'bench', 'resnet18.onnx');
const SCRIPT = join(REPO, 'scripts', 'bench', 'make_resnet18.py');

export function resnet18Model(): string {
  if (existsSync(MODEL)) return MODEL;
  mkdirSync(join(REPO, '.artifacts', 'bench'), { recursive: true });
  try {
    execFileSync('/usr/bin/python3', [SCRIPT, MODEL], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not make the ResNet-18 (${SCRIPT}, needs Debian's python3-torch and python3-torchvision): ${stderr || String(err)}`);
  }
  return MODEL;
}
