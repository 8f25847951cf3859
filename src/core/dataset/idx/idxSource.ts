import { ArrayDatasetSource } from '../arraySource';
import { fingerprintFiles } from '../fingerprint';
import { readLabelsFile } from '../labelsFile';
import { inferSampleLayout, product } from '../layout';
import { ReaderRowStore } from '../rows';
import type { DatasetSource } from '../types';
import { openIdxData } from './idxFile';
import { decodeIdxValues } from './idxHeader';

/**
 * An IDX images file plus its labels (MNIST, Fashion-MNIST, EMNIST). Samples are taken as stored: EMNIST's
 * images are transposed relative to MNIST's in the files, and a model trained on the raw files saw them
 * that way, so nothing is flipped here.
 */
export async function openIdxSource(imagesPath: string, labelsPath: string, details: Record<string, unknown> = {}): Promise<DatasetSource> {
  const images = await openIdxData(imagesPath);
  try {
    const { header } = images;
    if (header.dims.length < 2) {
      throw new Error(`${imagesPath}: this IDX file is one-dimensional (labels); give the images file as the dataset path`);
    }
    if (header.dtype !== 'uint8' && header.dtype !== 'float32' && header.dtype !== 'float64') {
      throw new Error(`${imagesPath}: IDX images of type ${header.dtype} are not supported (uint8, float32, float64 are)`);
    }
    const labels = await readLabelsFile(labelsPath);
    const count = header.dims[0]!;
    if (labels.length !== count) {
      throw new Error(`${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.length} labels`);
    }
    const sampleShape = header.dims.slice(1);
    const rowBytes = product(sampleShape) * header.itemSize;
    const dtype = header.dtype;
    return new ArrayDatasetSource({
      source: imagesPath,
      format: 'idx',
      store: new ReaderRowStore(images.reader, header.dataOffset, rowBytes, count),
      decode: (bytes) => decodeIdxValues(bytes, header) as Uint8Array | Float32Array | Float64Array,
      dtype,
      sampleShape,
      sampleLayout: inferSampleLayout(sampleShape),
      classNames: null,
      loadLabels: () => Promise.resolve(labels),
      fingerprint: await fingerprintFiles([imagesPath, labelsPath]),
      files: [imagesPath, labelsPath],
      details: { ...details, labels: labelsPath, gzip: images.gzip, memoryBytes: images.memoryBytes },
      close: () => images.close(),
    });
  } catch (err) {
    await images.close();
    throw err;
  }
}
