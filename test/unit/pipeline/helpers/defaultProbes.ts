/**
 * The default probes (`--layers auto`) of the committed fixtures, pinned by name: a change of the default
 * rule (src/core/model/onnx/autoProbes.ts, blocks.ts) shows up here as a diff a reviewer reads.
 */

/**
 * cnn and cnn_early (same graph): conv1 + ReLU + max-pool, a residual block (conv-ReLU-conv, + skip, ReLU)
 * probed once at its output (the ReLU after the Add: its first ReLU and the Add are inside it), max-pool,
 * conv3 + ReLU + max-pool, flatten, fc + ReLU (the classifier input), logits.
 */
export const CNN_DEFAULT_PROBES = [
  '/relu1/Relu_output_0',
  '/pool1/MaxPool_output_0',
  '/block/relu_out/Relu_output_0',
  '/pool2/MaxPool_output_0',
  '/relu3/Relu_output_0',
  '/pool3/MaxPool_output_0',
  '/flatten/Flatten_output_0',
  '/relu_fc/Relu_output_0',
  'logits',
] as const;
