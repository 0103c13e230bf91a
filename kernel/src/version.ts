import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** This kernel's version, checked against each plugin's `kernel` range. */
export const KERNEL_VERSION: string = require('../package.json').version;
