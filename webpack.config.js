// @ts-check
'use strict';
// One config per runtime: the extension host and the engine run in Node, each panel runs in a webview.
// onnxruntime-node is a native addon and cannot be bundled: it stays external and ships in the .vsix.
const path = require('path');
const fs = require('fs');

/** Copies the TF.js wasm binaries next to the engine bundle so setWasmPaths finds them after packaging. */
class CopyTfjsWasm {
  /** @param {import('webpack').Compiler} compiler */
  apply(compiler) {
    compiler.hooks.afterEmit.tap('CopyTfjsWasm', () => {
      const from = path.join(__dirname, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
      const to = path.join(__dirname, 'dist/wasm');
      fs.mkdirSync(to, { recursive: true });
      for (const f of fs.readdirSync(from)) if (f.endsWith('.wasm')) fs.copyFileSync(path.join(from, f), path.join(to, f));
    });
  }
}

const tsRule = (configFile) => ({
  test: /\.ts$/,
  exclude: /node_modules/,
  use: [{ loader: 'ts-loader', options: { configFile, transpileOnly: true } }],
});

/** @type {(env: unknown, argv: {mode?: string}) => import('webpack').Configuration[]} */
module.exports = (_env, argv) => {
  const mode = argv.mode === 'development' ? 'development' : 'production';
  const devtool = mode === 'development' ? 'source-map' : false;
  const node = {
    mode,
    devtool,
    target: 'node20',
    resolve: { extensions: ['.ts', '.js'] },
    module: { rules: [tsRule(path.join(__dirname, 'tsconfig.json'))] },
    node: { __dirname: false, __filename: false },
    optimization: { minimize: false },
    performance: { hints: false },
    stats: 'minimal',
    ignoreWarnings: [
      // protobufjs (under onnx-proto) probes for the optional 'long' package with require(variable). Bundled,
      // that probe finds nothing and int64 fields decode as plain numbers, which src/core/model/onnx/proto.ts
      // reads as well as Long objects (ONNX dims and offsets are far below 2^53).
      { module: /@protobufjs[\\/]inquire/, message: /Critical dependency/ },
    ],
  };
  return [
    {
      ...node,
      name: 'extension',
      entry: { extension: './src/extension/main.ts' },
      output: { path: path.join(__dirname, 'dist'), filename: '[name].js', libraryTarget: 'commonjs2' },
      // sharp: the core's image reader requires it lazily (never at load); bundled it would drag in its binaries.
      externals: { vscode: 'commonjs vscode', sharp: 'commonjs sharp' },
    },
    {
      ...node,
      name: 'engine',
      // The reduction worker is its own file: a worker thread starts from a script path (reducerClient.ts).
      entry: { engine: './src/engine/main.ts', reduceWorker: './src/engine/analyze/reduceWorker.ts' },
      output: { path: path.join(__dirname, 'dist'), filename: '[name].js', libraryTarget: 'commonjs2' },
      externals: {
        'onnxruntime-node': 'commonjs onnxruntime-node',
        // The image decoder of ImageNet-style folders (native libvips): shipped in the .vsix for its
        // platform, required lazily; where it does not load the JavaScript decoders run (the result says so).
        sharp: 'commonjs sharp',
        // Optional: used only where they install (never on this network); resolved at run time.
        '@tensorflow/tfjs-node': 'commonjs @tensorflow/tfjs-node',
        '@tensorflow/tfjs-node-gpu': 'commonjs @tensorflow/tfjs-node-gpu',
      },
      plugins: [new CopyTfjsWasm()],
    },
    {
      mode,
      devtool: mode === 'development' ? 'inline-source-map' : false,
      name: 'webviews',
      target: 'web',
      entry: Object.fromEntries(
        ['analysis', 'compare']
          .filter((p) => fs.existsSync(path.join(__dirname, 'webview', p, 'main.ts')))
          .map((p) => [p, `./webview/${p}/main.ts`]),
      ),
      output: { path: path.join(__dirname, 'dist', 'webview'), filename: '[name].js' },
      resolve: { extensions: ['.ts', '.js'] },
      module: { rules: [tsRule(path.join(__dirname, 'webview', 'tsconfig.json'))] },
      performance: { hints: false },
      stats: 'minimal',
    },
  ];
};
