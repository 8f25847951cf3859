import { readdir } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { describeFsError, pathKind } from '../fileAccess';

/** Extensions listed as images; the content still decides how (or whether) a file decodes. */
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.jpe', '.jfif']);

export interface ImageFolderListing {
  root: string;
  /** Sorted class folder names; label c is classNames[c]. */
  classNames: string[];
  /** Absolute paths, grouped by class, sorted within a class. */
  files: string[];
  labels: Int32Array;
  /** Non-image files found in class folders (not read). */
  ignored: number;
  ignoredExamples: string[];
}

/** Code-point order, as Python's sorted() (and so torchvision's ImageFolder) orders class names. */
export function compareCodePoints(a: string, b: string): number {
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** Sub-folders of `dir` (following links), hidden ones left out. */
export async function listSubfolders(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw describeFsError(dir, err);
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await pathKind(join(dir, entry.name))) === 'dir')) names.push(entry.name);
  }
  return names.sort(compareCodePoints);
}

async function walkFiles(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw describeFsError(dir, err);
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await pathKind(path)) === 'dir')) await walkFiles(path, out);
    else out.push(path);
  }
}

/** The ImageFolder layout: one sub-folder per class (name order), images anywhere below it. */
export async function listImageFolder(root: string): Promise<ImageFolderListing> {
  const classNames = await listSubfolders(root);
  const files: string[] = [];
  const labels: number[] = [];
  let ignored = 0;
  const ignoredExamples: string[] = [];
  for (let c = 0; c < classNames.length; c++) {
    const found: string[] = [];
    await walkFiles(join(root, classNames[c]!), found);
    const images: string[] = [];
    for (const file of found) {
      if (IMAGE_EXTENSIONS.has(extname(file).toLowerCase())) images.push(file);
      else {
        ignored++;
        if (ignoredExamples.length < 5) ignoredExamples.push(relative(root, file));
      }
    }
    images.sort();
    for (const image of images) {
      files.push(image);
      labels.push(c);
    }
  }
  return { root, classNames, files, labels: Int32Array.from(labels), ignored, ignoredExamples };
}
