'use strict';
/**
 * Worker entry used only when the service runs from its TypeScript sources (Jest): compiles
 * calculation.worker.ts and what it imports with @swc/core (a devDependency) as they are required.
 * The built service (dist/) loads the compiled calculation.worker.js directly and never reads this.
 */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};

module.exports = require('./calculation.worker.ts');
