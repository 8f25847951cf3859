/** The one typed protocol: host <-> engine and host <-> webviews. */
export * from './engine';
export * from './webview';
