export { defineError, type CodedError, type ErrorClass, type ErrorText } from './define.js';
export { KernelErrors, wrapPluginError, type KernelErrorCode } from './catalogue.js';
