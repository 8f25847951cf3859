/**
 * The typed face of acquireVsCodeApi(). VS Code allows one call per page, so the handle is cached.
 */

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

export interface VsCodeApi<State, Outgoing> {
  postMessage(message: Outgoing): void;
  /** The saved state when it has the expected shape, else undefined (an older version's state). */
  getState(): State | undefined;
  setState(state: State): void;
}

let raw: RawVsCodeApi | undefined;

export function vscodeApi<State, Outgoing>(parseState: (value: unknown) => State | undefined): VsCodeApi<State, Outgoing> {
  raw ??= acquireVsCodeApi();
  const api = raw;
  return {
    postMessage: (message) => api.postMessage(message),
    getState: () => parseState(api.getState()),
    setState: (state) => api.setState(state),
  };
}
