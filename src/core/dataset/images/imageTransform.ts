import type { CropBox } from './antialiasResize';

/**
 * The standard evaluation transform of ImageNet-style folders, torchvision's
 * `Resize(resizeShorter)` + `CenterCrop(centerCrop)` on PIL images: the shorter side to `resizeShorter`
 * (the longer side in proportion, truncated as torchvision does), antialiased bilinear as PIL's resize,
 * then the centre `centerCrop` x `centerCrop` square. `resizeShorter` null: crop only.
 */
export interface ImageTransform {
  resizeShorter: number | null;
  centerCrop: number;
}

/** Where one image's pixels go: the size it is resized to, then the window kept. */
export interface TransformPlan {
  resizedWidth: number;
  resizedHeight: number;
  crop: CropBox;
}

/** Python's round(): halves to even, as torchvision's CenterCrop computes its offsets. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * torchvision's `_compute_resized_output_size` for one int: the shorter side becomes `shorter`, the
 * longer `int(shorter * long / short)` (truncated, in double precision as Python computes it).
 */
export function resizedSize(width: number, height: number, shorter: number): { width: number; height: number } {
  if (width <= height) return { width: shorter, height: Math.trunc((shorter * height) / width) };
  return { width: Math.trunc((shorter * width) / height), height: shorter };
}

/**
 * The plan for a width x height image. A crop larger than the (resized) image is refused, naming the
 * file: torchvision would pad it with black, which would put made-up pixels into the features.
 */
export function planTransform(width: number, height: number, transform: ImageTransform, file: string): TransformPlan {
  const resized = transform.resizeShorter === null ? { width, height } : resizedSize(width, height, transform.resizeShorter);
  const size = transform.centerCrop;
  if (size > resized.width || size > resized.height) {
    const after = transform.resizeShorter === null ? '' : ` after resizing its shorter side to ${transform.resizeShorter} (${resized.width}x${resized.height})`;
    throw new Error(`${file}: the image is ${width}x${height}${after}, smaller than the centre crop of ${size}x${size}; torchvision would pad it with black pixels, which would enter the features (resize it, or set transform.resizeShorter >= ${size})`);
  }
  return {
    resizedWidth: resized.width,
    resizedHeight: resized.height,
    crop: {
      top: roundHalfEven((resized.height - size) / 2),
      left: roundHalfEven((resized.width - size) / 2),
      height: size,
      width: size,
    },
  };
}

/** Checks a transform from a flag or collapse-lens.json; null when fine, else what is expected. */
export function transformProblem(value: unknown): string | null {
  const expected = '{"resizeShorter": <positive integer, optional>, "centerCrop": <positive integer>}, the crop no larger than resizeShorter';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return expected;
  const entries = value as Record<string, unknown>;
  for (const key of Object.keys(entries)) if (key !== 'resizeShorter' && key !== 'centerCrop') return `${expected} (unknown key "${key}")`;
  const positive = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (!positive(entries.centerCrop)) return expected;
  if (entries.resizeShorter !== undefined && entries.resizeShorter !== null && !positive(entries.resizeShorter)) return expected;
  if (typeof entries.resizeShorter === 'number' && (entries.centerCrop as number) > entries.resizeShorter) {
    return `${expected}: a centre crop of ${String(entries.centerCrop)} is larger than every image resized to a shorter side of ${entries.resizeShorter}`;
  }
  return null;
}

/** The transform in a form that always has both keys. */
export function normalizeTransform(value: { resizeShorter?: number | null; centerCrop: number }): ImageTransform {
  return { resizeShorter: value.resizeShorter ?? null, centerCrop: value.centerCrop };
}

/** The words for the preprocessing line and warnings: "resize shorter side 256 + centre crop 224". */
export function describeTransform(transform: ImageTransform): string {
  const crop = `centre crop ${transform.centerCrop}`;
  return transform.resizeShorter === null ? crop : `resize shorter side ${transform.resizeShorter} (antialiased bilinear, as PIL) + ${crop}`;
}
