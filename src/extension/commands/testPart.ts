import { listSplits } from '../../core/dataset';
import type { DatasetSpec } from '../../core/dataset/types';

/**
 * The held-out part of the training dataset, when it has one (a test/ folder, t10k-* IDX files,
 * test_batch.bin, x_test/y_test arrays); null otherwise. Offering "Test part of X" for a dataset without
 * one made the held-out split the training split itself (the engine now refuses that, but the choice
 * should not be offered at all). A path that cannot be read offers none: opening it will say why.
 */
export async function testPartOf(train: DatasetSpec): Promise<DatasetSpec | null> {
  try {
    return (await listSplits(train.path)).includes('test') ? { ...train, split: 'test' } : null;
  } catch {
    return null;
  }
}
