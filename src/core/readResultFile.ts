import { readFile } from 'node:fs/promises';
import { validateResult, type AnalysisResult } from './result';
import { messageOf } from './messageOf';
import { describeFsError } from './dataset/fileAccess';


/**
 * A result JSON from disk, checked: every reader (compare CLI, compare command, restored panels) says
 * the same thing about a file it cannot use. Kept apart from result.ts, which the webviews import.
 */
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
