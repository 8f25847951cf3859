import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { DatasetSource, ImageShapeRequest, RawBatch } from '../types';
import { conformImage, type Conformed } from './conform';
import type { DecodedImage } from './decodedImage';
import { sharedDecodePool, type ImageDecodePool } from './decodePool';
import { ImageTooLargeError } from './imageHeader';
import { listImageFolder, type ImageFolderListing } from './listing';
import { loadImage, loadImages, type ImageOutcome } from './loadImages';
import { censusOfSizes } from './sizeCensus';
import { describeTransform, type ImageTransform } from './imageTransform';
import { loadTransformedImages } from './loadTransformed';
import { loadSharp, type ImageDecoderInfo } from './sharpDecoder';
import { CONVERSION_WORDS } from '../../imageReadReport';
import type { ImageConversion, ImageSizeInfo } from '../../result';

const EXAMPLES = 5;
/** Files tried, in order, to learn a provisional image size and channels (until conformImages sets them). */
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


/** Who decided the size every image is brought to (see conformImages and docs/datasets.md). */
type SizeOrigin = ImageSizeInfo['from'];

/**
 * A folder of class folders of PNG/JPEG files (torchvision's ImageFolder layout). Every image is brought
 * to one size and channel count: the model's input where it fixes them (conformImages), else the images'
 * most common size; before that call, the first image's (a provisional shape, enough to read the model's
 * layout). Images that differ are converted and resized, and counted with examples in describe(), which
 * reflects what the reads so far found. A file that does not decode is skipped, counted and listed, or,
 * with `strict`, fails the read. An image whose header is over MAX_IMAGE_PIXELS always fails the read.
 */
export class ImageFolderSource implements DatasetSource {
  readonly format = 'image-folder';
  readonly dtype = 'uint8' as const;
  readonly size: number;
  readonly classNames: string[];
  private readonly skipped = new Tally();
  private readonly resized = new Tally();
  private readonly converted = new Tally();
  private readonly conversions = new Map<ImageConversion, Tally>();
  private sizeOrigin: SizeOrigin = 'first-image';
  private census: { headersRead: number; ofSize: number } | null = null;
  private resize = true;
  private reading = false;
  private transform: ImageTransform | null = null;

  private constructor(
    readonly source: string,
    private readonly listing: ImageFolderListing,
    private height: number,
    private width: number,
    private channels: 1 | 3,
    private readonly strict: boolean,
    private readonly fingerprint: string,
    private readonly details: Record<string, unknown>,
    private readonly pool: ImageDecodePool | null,
    private readonly decoderChoice: 'auto' | 'javascript',
  ) {
    this.size = listing.files.length;
    this.classNames = listing.classNames;
  }

  get sampleShape(): number[] {
    return this.channels === 1 ? [this.height, this.width] : [this.height, this.width, this.channels];
  }

  get sampleLayout(): 'hw' | 'hwc' {
    return this.channels === 1 ? 'hw' : 'hwc';
  }

  /**
   * `pool`: the worker threads that read and decode the files of a batch (the process's shared pool by
   * default; null decodes on this thread). The result is the same either way.
   */
  static async open(
    root: string,
    strict = false,
    details: Record<string, unknown> = {},
    pool: ImageDecodePool | null = sharedDecodePool(),
    decoder: 'auto' | 'javascript' = 'auto',
  ): Promise<ImageFolderSource> {
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
        if (err instanceof ImageTooLargeError) throw new Error(`${file}: ${err.message}`);
        failures.push(`${relative(root, file)}: ${(err as Error).message}`);
        if (strict) throw new Error(`${file}: corrupt image (${(err as Error).message})`);
      }
    }
    if (!probe) throw new Error(`${root}: none of the first ${failures.length} images decodes (${failures.slice(0, 3).join('; ')})`);
    // Listing and folder times stand in for content: hashing every image would read the whole dataset.
    const hash = createHash('sha256');
    for (const file of listing.files) hash.update(`${relative(root, file)}\n`);
    const fingerprint = `sha256:${hash.digest('hex').slice(0, 32)}`;
    return new ImageFolderSource(root, listing, probe.height, probe.width, probe.channels, strict, fingerprint, details, pool, decoder);
  }

  /**
   * Sets the size and channels every image is brought to, before the first read. Where the model fixes
   * height and width, they are the model's: one resize per image, straight to what the model takes. Where
   * the model leaves them open, the most common size among the selected images' headers decides, not the
   * first image: a folder of 28x28 images with one 100x100 stray must not send every image up to 100x100
   * and back (that moved NC1 by 7%). Refusing mixed sizes outright would block real folders with a few
   * strays; the strays are resized, counted and named in the result and on screen instead.
   */
  async conformImages(request: ImageShapeRequest): Promise<void> {
    if (this.reading) throw new Error(`${this.source}: the image shape is set before the first read`);
    if (request.transform) {
      this.conformToTransform(request, request.transform);
      return;
    }
    const leftOpen = request.height === null || request.width === null || request.channels === null;
    const census = leftOpen ? await censusOfSizes(Array.from(request.indices, (i) => this.listing.files[i]!)) : null;
    if (request.height !== null && request.width !== null) {
      this.height = request.height;
      this.width = request.width;
      this.sizeOrigin = request.fixedBy;
    } else if (census) {
      this.height = census.height;
      this.width = census.width;
      this.sizeOrigin = 'most-common';
      this.census = { headersRead: census.read, ofSize: census.ofSize };
    }
    this.channels = request.channels ?? census?.channels ?? this.channels;
    this.resize = request.resize;
  }

  /**
   * With the evaluation transform every image comes out as the crop: that is the size. A model that fixes
   * another size is refused rather than resized a second time (torchvision's pipeline would not run on
   * it either, and a silent second resize changes every feature).
   */
  private conformToTransform(request: ImageShapeRequest, transform: ImageTransform): void {
    const size = transform.centerCrop;
    if (request.height !== null && request.width !== null && (request.height !== size || request.width !== size)) {
      const whose = request.fixedBy === 'model-input' ? 'the model input takes' : 'the training split was brought to';
      throw new Error(`${this.source}: the transform (${describeTransform(transform)}) makes ${size}x${size} images, but ${whose} ${request.width}x${request.height}; set transform.centerCrop to ${request.height === request.width ? request.height : 'the model input'}`);
    }
    this.height = size;
    this.width = size;
    this.sizeOrigin = request.height !== null && request.width !== null ? request.fixedBy : 'transform';
    this.channels = request.channels ?? this.channels;
    this.resize = request.resize;
    this.transform = transform;
  }

  /** The decoder that reads the images: sharp with the transform where it loads, else JavaScript, and why. */
  get decoder(): ImageDecoderInfo {
    if (!this.transform) return { name: 'javascript', reason: 'sharp serves the evaluation transform; without one the folder is read by the built-in decoders' };
    if (this.decoderChoice === 'javascript') return { name: 'javascript', reason: 'the JavaScript decoders were asked for' };
    return loadSharp().info;
  }

  labels(): Promise<Int32Array> {
    return Promise.resolve(this.listing.labels);
  }

  async read(indices: Int32Array): Promise<RawBatch> {
    this.reading = true;
    const sampleSize = this.height * this.width * this.channels;
    const paths = Array.from(indices, (index) => {
      if (!(index >= 0 && index < this.size)) throw new Error(`${this.source}: sample index ${index} is outside 0..${this.size - 1}`);
      return this.listing.files[index]!;
    });
    const outcomes = this.transform
      ? await loadTransformedImages(paths, this.transform, this.decoderChoice === 'auto' ? loadSharp().sharp : null)
      : await loadImages(paths, this.pool);
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
      // A refusal whatever `strict` says: the user gave a file that would take minutes and gigabytes.
      if (outcome.tooLarge) throw new Error(`${path}: ${outcome.reason}`);
      if (this.strict) throw new Error(`${path}: corrupt image (${outcome.reason})`);
      this.skipped.add(index, `${relative(this.source, path)} (${outcome.reason})`);
      return null;
    }
    const image = outcome.image;
    const fits = image.height === this.height && image.width === this.width;
    if (!fits && !this.resize) {
      throw new Error(`${path}: the image is ${image.width}x${image.height}, the model input takes ${this.width}x${this.height}, and resizing is off (resize: false)`);
    }
    const conformed = conformImage(image, this.height, this.width, this.channels);
    const name = relative(this.source, path);
    if (conformed.resized) this.resized.add(index, `${name} (${image.width}x${image.height})`);
    this.countConversions(index, name, conformed, image.droppedAlpha === true);
    return conformed.data;
  }

  sampleName(index: number): string {
    const file = this.listing.files[index];
    return file === undefined ? `#${index}` : relative(this.source, file);
  }

  private countConversions(index: number, name: string, conformed: Conformed, droppedAlpha: boolean): void {
    const kinds: ImageConversion[] = [];
    if (conformed.conversion) kinds.push(conformed.conversion);
    if (droppedAlpha) kinds.push('alpha-dropped');
    if (kinds.length === 0) return;
    this.converted.add(index, `${name} (${kinds.map((k) => CONVERSION_WORDS[k]).join(', ')})`);
    for (const kind of kinds) {
      let tally = this.conversions.get(kind);
      if (!tally) this.conversions.set(kind, (tally = new Tally()));
      tally.add(index, name);
    }
  }

  describe(): Record<string, unknown> {
    const kinds = Object.fromEntries(Array.from(this.conversions, ([kind, tally]) => [kind, tally.count]));
    return {
      source: this.source,
      format: this.format,
      available: this.size,
      fingerprint: this.fingerprint,
      classNames: this.classNames,
      sampleShape: this.sampleShape,
      dtype: this.dtype,
      ...this.details,
      imageSize: { width: this.width, height: this.height, channels: this.channels, from: this.sizeOrigin, ...(this.census ?? {}) },
      ...(this.skipped.count ? { skipped: this.skipped.toJSON() } : {}),
      ...(this.resized.count ? { resized: { ...this.resized.toJSON(), to: { width: this.width, height: this.height } } } : {}),
      ...(this.converted.count ? { converted: { ...this.converted.toJSON(), to: this.channels === 3 ? 'rgb' : 'grey', kinds } } : {}),
      // The decoder is named with the transform, the path sharp serves; without it the folder is read as before.
      ...(this.transform ? { transform: { ...this.transform, interpolation: 'pil-bilinear' }, decoder: this.decoder } : {}),
      ...(this.listing.ignored ? { ignoredFiles: { count: this.listing.ignored, examples: this.listing.ignoredExamples } } : {}),
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
