import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { DatasetSource, RawBatch } from '../types';
import { conformImage } from './conform';
import type { DecodedImage } from './decodedImage';
import { sharedDecodePool, type ImageDecodePool } from './decodePool';
import { listImageFolder, type ImageFolderListing } from './listing';
import { loadImage, loadImages, type ImageOutcome } from './loadImages';

const EXAMPLES = 5;
/** Files tried, in order, to learn the folder's image size and channels. */
const PROBES = 16;

/** A count of affected samples with the first few (lowest index, so the list does not depend on timing). */
class Tally {
  count = 0;
  private firsts: [number, string][] = [];
  private readonly seen = new Set<number>();

  add(index: number, example: string): void {
    if (this.seen.has(index)) return;
    this.seen.add(index);
    this.count++;
    this.firsts.push([index, example]);
    this.firsts.sort((a, b) => a[0] - b[0]);
    if (this.firsts.length > EXAMPLES) this.firsts.length = EXAMPLES;
  }

  toJSON(): { count: number; examples: string[] } {
    return { count: this.count, examples: this.firsts.map(([, example]) => example) };
  }
}

/**
 * A folder of class folders of PNG/JPEG files (torchvision's ImageFolder layout). The sample shape is the
 * first image's; images that differ are converted and resized to it (counted in describe()). A file that
 * does not decode is skipped, counted and listed, or, with `strict`, fails the read.
 */
export class ImageFolderSource implements DatasetSource {
  readonly format = 'image-folder';
  readonly sampleLayout: 'hw' | 'hwc';
  readonly dtype = 'uint8' as const;
  readonly size: number;
  readonly sampleShape: number[];
  readonly classNames: string[];
  private readonly skipped = new Tally();
  private readonly resized = new Tally();
  private readonly converted = new Tally();

  private constructor(
    readonly source: string,
    private readonly listing: ImageFolderListing,
    private readonly height: number,
    private readonly width: number,
    private readonly channels: 1 | 3,
    private readonly strict: boolean,
    private readonly fingerprint: string,
    private readonly details: Record<string, unknown>,
    private readonly pool: ImageDecodePool | null,
  ) {
    this.size = listing.files.length;
    this.classNames = listing.classNames;
    this.sampleShape = channels === 1 ? [height, width] : [height, width, channels];
    this.sampleLayout = channels === 1 ? 'hw' : 'hwc';
  }

  /**
   * `pool`: the worker threads that read and decode the files of a batch (the process's shared pool by
   * default; null decodes on this thread). The result is the same either way.
   */
  static async open(root: string, strict = false, details: Record<string, unknown> = {}, pool: ImageDecodePool | null = sharedDecodePool()): Promise<ImageFolderSource> {
    const listing = await listImageFolder(root);
    if (listing.classNames.length === 0) throw new Error(`${root}: no class sub-folders (expected one folder of images per class)`);
    if (listing.files.length === 0) {
      throw new Error(`${root}: no .png or .jpg files in its ${listing.classNames.length} class folders (${listing.classNames.slice(0, 5).join(', ')})`);
    }
    let probe: DecodedImage | null = null;
    const failures: string[] = [];
    for (const file of listing.files.slice(0, PROBES)) {
      try {
        probe = loadImage(file);
        break;
      } catch (err) {
        failures.push(`${relative(root, file)}: ${(err as Error).message}`);
        if (strict) throw new Error(`${file}: corrupt image (${(err as Error).message})`);
      }
    }
    if (!probe) throw new Error(`${root}: none of the first ${failures.length} images decodes (${failures.slice(0, 3).join('; ')})`);
    // Listing and folder times stand in for content: hashing every image would read the whole dataset.
    const hash = createHash('sha256');
    for (const file of listing.files) hash.update(`${relative(root, file)}\n`);
    const fingerprint = `sha256:${hash.digest('hex').slice(0, 32)}`;
    return new ImageFolderSource(root, listing, probe.height, probe.width, probe.channels, strict, fingerprint, details, pool);
  }

  labels(): Promise<Int32Array> {
    return Promise.resolve(this.listing.labels);
  }

  async read(indices: Int32Array): Promise<RawBatch> {
    const sampleSize = this.height * this.width * this.channels;
    const paths = Array.from(indices, (index) => {
      if (!(index >= 0 && index < this.size)) throw new Error(`${this.source}: sample index ${index} is outside 0..${this.size - 1}`);
      return this.listing.files[index]!;
    });
    const outcomes = await loadImages(paths, this.pool);
    const decoded = outcomes.map((outcome, i) => this.accept(indices[i]!, outcome));
    const kept = decoded.filter((d) => d !== null).length;
    const data = new Uint8Array(kept * sampleSize);
    const labels = new Int32Array(kept);
    const keptIndices = new Int32Array(kept);
    let row = 0;
    for (let i = 0; i < indices.length; i++) {
      const sample = decoded[i];
      if (!sample) continue;
      data.set(sample, row * sampleSize);
      labels[row] = this.listing.labels[indices[i]!]!;
      keptIndices[row] = indices[i]!;
      row++;
    }
    return { data, labels, count: kept, indices: keptIndices };
  }

  /** The sample's pixels in the folder's shape, or null when the file is skipped (or an error, strict). */
  private accept(index: number, outcome: ImageOutcome): Uint8Array | null {
    const path = this.listing.files[index]!;
    if (!outcome.ok) {
      if (this.strict) throw new Error(`${path}: corrupt image (${outcome.reason})`);
      this.skipped.add(index, `${relative(this.source, path)} (${outcome.reason})`);
      return null;
    }
    const image = outcome.image;
    const conformed = conformImage(image, this.height, this.width, this.channels);
    if (conformed.resized) this.resized.add(index, `${relative(this.source, path)} (${image.width}x${image.height})`);
    if (conformed.converted) this.converted.add(index, `${relative(this.source, path)} (${image.channels} channel(s))`);
    return conformed.data;
  }

  sampleName(index: number): string {
    const file = this.listing.files[index];
    return file === undefined ? `#${index}` : relative(this.source, file);
  }

  describe(): Record<string, unknown> {
    return {
      source: this.source,
      format: this.format,
      available: this.size,
      fingerprint: this.fingerprint,
      classNames: this.classNames,
      sampleShape: this.sampleShape,
      dtype: this.dtype,
      ...this.details,
      ...(this.skipped.count ? { skipped: this.skipped.toJSON() } : {}),
      ...(this.resized.count ? { resizedOnRead: this.resized.toJSON() } : {}),
      ...(this.converted.count ? { convertedOnRead: this.converted.toJSON() } : {}),
      ...(this.listing.ignored ? { ignoredFiles: { count: this.listing.ignored, examples: this.listing.ignoredExamples } } : {}),
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
