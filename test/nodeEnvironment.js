/**
 * jest's node environment, with the host's typed-array constructors.
 * onnxruntime-node checks tensor data with `instanceof Float32Array` against
 * the realm it was loaded in (the host's), while code under test builds its
 * arrays in jest's sandbox realm: without this, every tensor made in a test
 * is refused ("A float32 tensor's data must be type of function
 * Float32Array()"). Outside jest there is one realm and nothing to fix.
 */
// jest loads test environments as CommonJS modules.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TestEnvironment } = require('jest-environment-node');

const TYPED = ['Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer'];

class HostTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED) this.global[name] = globalThis[name];
  }
}

module.exports = HostTypedArraysEnvironment;
