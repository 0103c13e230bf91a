// SVG through Graphviz compiled to WebAssembly (@viz-js/viz): loaded on first use, and
// each rendering cached until the topology changes.
import { instance, type Viz } from '@viz-js/viz';

let viz: Promise<Viz> | undefined;

export class SvgCache {
  private cached: { key: object; svg: Promise<string> } | undefined;

  /** The SVG for `key` (the topology snapshot), rendered from `dot()` once per key. */
  get(key: object, dot: () => string): Promise<string> {
    if (this.cached?.key !== key) {
      const svg = (viz ??= instance()).then((v) => v.renderString(dot(), { format: 'svg' }));
      this.cached = { key, svg };
      // a failed render is not cached
      svg.catch(() => {
        if (this.cached?.svg === svg) this.cached = undefined;
      });
    }
    return this.cached.svg;
  }
}
