// Kept in step with package.json by test/unit/engine/version.test.ts; a constant so the bundle needs no package.json at run time.
export const TOOL_VERSION = '0.1.0';
