/**
 * A layer's name as the narrow Layers view shows it. PyTorch's ONNX export names every tensor
 * "/<module path>/<Op>_output_<n>" ("/block/relu_out/Relu_output_0"): the module path alone says which
 * layer it is, and at the side bar's default width the full name left no room for the numbers beside
 * it. Other names (TF.js layers, "logits", tensors named by hand) are shown as they are. The full tensor
 * name stays in the row's tooltip, its accessible label and "Copy tensor name".
 */
export function layerLabel(tensorName: string): string {
  const exported = /^\/(.+)\/[A-Za-z][A-Za-z0-9]*_output_(\d+)$/.exec(tensorName);
  if (!exported) return tensorName;
  const [, modulePath, output] = exported;
  // A node with several outputs: keep which one, so that two rows never read the same.
  return output === '0' ? modulePath! : `${modulePath} (output ${output})`;
}
