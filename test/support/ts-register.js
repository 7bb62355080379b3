/**
 * `node -r ./test/support/ts-register.js src/main.ts`: runs the service from its TypeScript
 * sources in a child process (the same swc settings as jest.config.js), without a build.
 * Modules load through Node's own require, so OpenTelemetry's require hooks see them as they
 * do in production (Jest's module system would hide pg, ioredis and fastify from them).
 */
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

Module._extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
