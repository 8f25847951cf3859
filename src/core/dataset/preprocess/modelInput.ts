/** What a model's input shape says about the layout it wants. */
export interface ModelInputGeometry {
  layout: 'nchw' | 'nhwc' | 'flat';
  /** False for a rank-3 input [batch, H, W]: one channel without its own axis. */
  channelAxis: boolean;
  channels: number | null;
  height: number | null;
  width: number | null;
  /** Values per sample of a flat input, when fixed. */
  features: number | null;
}

type Dim = number | string | null;

const fixed = (d: Dim | undefined): number | null => (typeof d === 'number' && d > 0 ? d : null);
const isChannelCount = (d: number | null): boolean => d === 1 || d === 3;

export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.map((d) => (typeof d === 'number' && d > 0 ? String(d) : typeof d === 'string' && d ? d : '?')).join(', ')}]`;
}

/** The stored image, used to settle input shapes such as [N, 1, 28, 3] that read both ways. */
export interface StoredImageHint {
  h: number;
  w: number;
  c: number;
}

function settle(shape: readonly Dim[], hint: StoredImageHint | undefined): 'nchw' | 'nhwc' | undefined {
  if (!hint) return undefined;
  const asNchw = { c: fixed(shape[1]), h: fixed(shape[2]), w: fixed(shape[3]) };
  const asNhwc = { c: fixed(shape[3]), h: fixed(shape[1]), w: fixed(shape[2]) };
  const sameSize = (g: typeof asNchw): boolean => g.h === hint.h && g.w === hint.w;
  if (sameSize(asNchw) !== sameSize(asNhwc)) return sameSize(asNchw) ? 'nchw' : 'nhwc';
  if ((asNchw.c === hint.c) !== (asNhwc.c === hint.c)) return asNchw.c === hint.c ? 'nchw' : 'nhwc';
  return undefined;
}

/**
 * Reads the layout from the input shape (batch dimension included): rank 2 is flat (an MLP), rank 3 a
 * single-channel image without channel axis, rank 4 NCHW when the channel count (1 or 3) is second, NHWC
 * when it is last. When both could be channels, the reading that matches the stored image's size, then
 * its channel count, wins; `override` settles the rest ([batch, 3, 3, 3], dynamic dims).
 */
export function readModelInput(shape: readonly Dim[], override?: 'nchw' | 'nhwc' | 'flat', hint?: StoredImageHint): ModelInputGeometry {
  const rank = shape.length;
  if (rank === 2 || override === 'flat') {
    if (rank !== 2) throw new Error(`layout 'flat' needs a rank-2 input [batch, features], the model's input is ${formatShape(shape)}`);
    return { layout: 'flat', channelAxis: false, channels: null, height: null, width: null, features: fixed(shape[1]) };
  }
  if (rank === 3) {
    return { layout: 'nhwc', channelAxis: false, channels: 1, height: fixed(shape[1]), width: fixed(shape[2]), features: null };
  }
  if (rank !== 4) {
    throw new Error(`the model's input ${formatShape(shape)} is neither [batch, features] nor an image ([batch, C, H, W] or [batch, H, W, C])`);
  }
  const second = fixed(shape[1]);
  const last = fixed(shape[3]);
  let layout = override;
  if (!layout) {
    if (isChannelCount(second) && !isChannelCount(last)) layout = 'nchw';
    else if (isChannelCount(last) && !isChannelCount(second)) layout = 'nhwc';
    else layout = settle(shape, hint);
    if (!layout) {
      throw new Error(
        `cannot tell where the channels are in the model's input ${formatShape(shape)}; set preprocessing.layout to 'nchw' or 'nhwc'`,
      );
    }
  }
  return layout === 'nchw'
    ? { layout, channelAxis: true, channels: second, height: fixed(shape[2]), width: fixed(shape[3]), features: null }
    : { layout, channelAxis: true, channels: last, height: fixed(shape[1]), width: fixed(shape[2]), features: null };
}
