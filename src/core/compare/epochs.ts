/**
 * Reads the epoch from a checkpoint's file name: "epoch_012.onnx", "ckpt-e30.onnx", "model_ep7",
 * "step-1000" (any number after epoch/ep/e/step; else the last number in the name).
 */
export function epochFromName(fileName: string): number | null {
  const stem = fileName.replace(/\.(onnx|json)$/i, '');
  const tagged = /(?:^|[^a-z])(?:epoch|ep|e|step|iter|it)[_\-.]?(\d+)/i.exec(stem);
  if (tagged) return Number(tagged[1]);
  const numbers = stem.match(/\d+/g);
  return numbers ? Number(numbers[numbers.length - 1]) : null;
}

/** Orders checkpoints by epoch; refuses names without one, or two with the same epoch. */
export function orderByEpoch(fileNames: string[]): { file: string; epoch: number }[] {
  const withEpoch = fileNames.map((file) => ({ file, epoch: epochFromName(file) }));
  const missing = withEpoch.filter((e) => e.epoch === null).map((e) => e.file);
  if (missing.length) throw new Error(`no epoch number in the file name of ${missing.join(', ')}`);
  const sorted = (withEpoch as { file: string; epoch: number }[]).sort((a, b) => a.epoch - b.epoch);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].epoch === sorted[i - 1].epoch) throw new Error(`${sorted[i - 1].file} and ${sorted[i].file} both read as epoch ${sorted[i].epoch}`);
  return sorted;
}
