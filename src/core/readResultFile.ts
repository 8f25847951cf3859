import { readFile } from 'node:fs/promises';
import type { AnalysisResult } from './result';
import { validateResult } from './resultValidation';
import { messageOf } from './messageOf';
import { describeFsError } from './dataset/fileAccess';

/**
 * A result JSON from disk, fully checked against the schema (resultValidation.ts): every reader (compare
 * CLI, compare command and panel, the run store, restored panels) says the same thing about a file it
 * cannot use, naming the file and the first wrong field. Kept apart from result.ts, which the webviews import.
 */
/** Whether readResultFile failed because the file is not there (deleted), not because it is unreadable or invalid. */
export function isMissingResultFile(error: unknown): boolean {
  const code = (e: unknown) => (e as { code?: unknown } | null)?.code;
  return code(error) === 'ENOENT' || code((error as { cause?: unknown } | null)?.cause) === 'ENOENT';
}

export async function readResultFile(path: string): Promise<AnalysisResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw describeFsError(path, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${messageOf(error)})`);
  }
  return validateResult(value, path);
}
