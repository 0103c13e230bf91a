// Module resolve hook (runs on the loader thread; registered by scripts/uvu-recorder.mjs).
// `import … from 'uvu'` in a test → our wrapper. The wrapper's own `import 'uvu'` is
// left alone so it gets the real uvu.
const WRAPPER_URL = new URL('./uvu-wrapper.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'uvu' && context.parentURL !== WRAPPER_URL) {
    return { url: WRAPPER_URL, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
