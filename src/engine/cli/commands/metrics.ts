import type { CliCommand } from '../cli';
import { checkOutputTarget, writeJsonOutput } from '../outputFile';
import { numberFlag, parse, stringFlag, type FlagSpec } from '../args';
import { parseReductionRequest } from '../../../core/model/reduction';
import { messageOf } from '../../../core/messageOf';
import { UsageError } from '../../errors';
import { stderrProgress } from '../progressBar';
import { formatLayerTable, runNotes } from '../table';
import { throttleProgress } from '../../progress';
import { analyzeFeatures } from '../../analyze/features';
import type { FeaturesRequest } from '../../../protocol/engine';

const FLAGS: FlagSpec = { test: { type: 'string' }, epsilon: { type: 'string' }, reduce: { type: 'string' }, out: { type: 'string', short: 'o' }, quiet: { type: 'boolean', short: 'q' } };

const USAGE = `Usage: collapse-lens metrics <features.npz> [--test <features.npz>] [--reduce cls|mean|gap] [--out result.json]

Bring your own features: computes every metric from features you dumped yourself (no model needed).
The .npz holds "labels" (N integers) and one N x ... float array per layer (the array name is the
layer name; the order in the file is the depth order; each sample is flattened), and optionally
"W" (K x D) and "b" (K) of the classifier and "logits" (N x K) for NC3 / NC4.

  import numpy as np
  feats = {name: f.reshape(len(f), -1) for name, f in captured.items()}   # e.g. from forward hooks
  np.savez("train_features.npz", labels=y, **feats, W=model.fc.weight.detach().numpy(),
           b=model.fc.bias.detach().numpy(), logits=logits)
  # then: collapse-lens metrics train_features.npz --test test_features.npz --out result.json

Options:
  --test <features.npz>  held-out features (same arrays)
  --epsilon E            NCC error threshold of the effective depth (default 0.01)
  --reduce R[,<layer>=R...]
                         how each array becomes a feature vector (default: flattened as stored):
                         cls (token 0 of an N x T x D token array), mean (the mean over its T
                         tokens), gap (channel means of an N x C x H x W map), flatten. One choice
                         applies to every array it fits (the others stay flattened); <layer>=R
                         sets one array and is refused where it does not fit
  --out, -o <file>       write the result JSON there (and print the per-layer table)
  --quiet, -q            no progress on stderr`;

export const metricsCommand: CliCommand = {
  name: 'metrics',
  summary: 'compute the metrics from features you dumped to an .npz (no model needed)',
  usage: USAGE,
  async run(argv) {
    const { positionals, flags } = parse(argv, FLAGS);
    if (positionals.length !== 1) throw new UsageError('metrics takes one features .npz (see collapse-lens metrics --help)');
    const request: FeaturesRequest = { features: positionals[0], epsilon: numberFlag(flags, 'epsilon', 0.01, (n) => n >= 0 && n < 1, 'a number in [0, 1)') };
    const test = stringFlag(flags, 'test');
    if (test) request.test = test;
    const reduce = stringFlag(flags, 'reduce');
    try {
      if (reduce !== undefined) request.reduction = parseReductionRequest(reduce);
    } catch (err) {
      throw new UsageError(messageOf(err));
    }
    const out = stringFlag(flags, 'out');
    if (out) request.out = out;
    if (out) await checkOutputTarget(out);
    const result = await analyzeFeatures(request, { onProgress: throttleProgress(stderrProgress(flags.quiet === true)) });
    await writeJsonOutput(result, out);
    if (out) process.stdout.write(formatLayerTable(result) + `\n\nresult written to ${out}\n`);
    // Without --out the JSON has stdout to itself: the warnings (a class absent from --test, ...) go to stderr, so they are seen.
    else process.stderr.write(runNotes(result, true));
    return 0;
  },
};
