/**
 * The default probe rule (`auto`), the ONNX rule without its block rule (src/core/model/onnx/blocks.ts):
 * the outputs of activations, residual adds, pooling and flatten, plus the classifier's input and the logits. A Dense or Conv layer with a fused
 * activation other than linear/softmax counts as an activation, since its output IS the activation.
 */

/** Keras activation names that make a layer's output an activation (softmax is the output head, not a feature). */
export function isFeatureActivation(activation: string | undefined): boolean {
  return activation !== undefined && activation !== 'linear' && activation !== 'softmax' && activation !== '';
}

const KERAS_ACTIVATION_LAYERS = new Set(['ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'ThresholdedReLU']);
const KERAS_FUSED_ACTIVATION_LAYERS = /^(Dense|Conv[123]D|Conv[123]DTranspose|DepthwiseConv[12]D|SeparableConv[12]D)$/;
const KERAS_POOLING = /^(Global)?(Max|Average)Pooling[123]D$/;

/** Whether a Keras layer's output is probed by default (classifier input and logits are added by the caller). */
export function kerasLayerIsAutoProbe(className: string, activation: string | undefined): boolean {
  if (className === 'Activation') return isFeatureActivation(activation);
  if (KERAS_ACTIVATION_LAYERS.has(className)) return true;
  if (KERAS_FUSED_ACTIVATION_LAYERS.test(className)) return isFeatureActivation(activation);
  return className === 'Add' || className === 'Flatten' || KERAS_POOLING.test(className);
}

const TF_ACTIVATION_OPS = new Set(['Relu', 'Relu6', 'Elu', 'Selu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Softplus', 'Prelu', 'Swish', 'Gelu']);
// fused_ops entries are compared without case, as tfjs-converter does.
const TF_ACTIVATION_OPS_LOWER = new Set([...TF_ACTIVATION_OPS].map((op) => op.toLowerCase()));
const TF_POOLING_OPS = new Set(['MaxPool', 'AvgPool', 'MaxPool3D', 'AvgPool3D', 'Mean']);

export function isTfActivationOp(op: string): boolean {
  return TF_ACTIVATION_OPS.has(op);
}

/**
 * Whether a GraphModel node's output is probed by default. `fusedOps` is the decoded `fused_ops` list of
 * _FusedMatMul/_FusedConv2D (its last entry is the activation when there is one); `addsTwoTensors` tells a
 * residual Add from a bias Add; `flattens` marks a Reshape to one dimension per sample.
 */
export function tfNodeIsAutoProbe(op: string, fusedOps: string[], addsTwoTensors: boolean, flattens: boolean): boolean {
  if (TF_ACTIVATION_OPS.has(op) || TF_POOLING_OPS.has(op)) return true;
  if (fusedOps.length > 0) return TF_ACTIVATION_OPS_LOWER.has(fusedOps[fusedOps.length - 1].toLowerCase());
  if (op === 'Add' || op === 'AddV2') return addsTwoTensors;
  return op === 'Reshape' && flattens;
}
