/** The scipy vectors of test/fixtures/drift/scipy-vectors.json and the sampler that draws their samples. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export type SampleSpec = number[] | string[] | { n: number; seed: number; sum?: number; grid?: number; scale?: number; shift?: number };

/** generate_vectors.py's `sample`: the same LCG and the same IEEE operations, so the same doubles. */
export function sample(spec: SampleSpec): Float64Array | string[] {
  if (Array.isArray(spec)) return typeof spec[0] === 'string' ? (spec as string[]) : Float64Array.from(spec as number[]);
  let state = spec.seed % 4294967296;
  const out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) {
    let x = 0;
    for (let k = 0; k < (spec.sum ?? 1); k++) {
      state = (state * 1664525 + 1013904223) % 4294967296;
      x += state / 4294967296;
    }
    if (spec.grid !== undefined) x = Math.floor(x * spec.grid);
    out[i] = x * (spec.scale ?? 1) + (spec.shift ?? 0);
  }
  return out;
}

export const numbers = (spec: SampleSpec) => sample(spec) as Float64Array;

interface Case {
  name: string;
  a: SampleSpec;
  b: SampleSpec;
}

export interface Vectors {
  scipy: string;
  numpy: string;
  ks: (Case & {
    regime: 'tiny' | 'exact_equal' | 'exact_unequal' | 'ties' | 'asymptotic';
    statistic: number;
    pvalue: number;
    location?: number;
    sign?: number;
  })[];
  kstwo: { n: number; x: number; sf: number; smirnov: number }[];
  chi2: (Case & { statistic: number; pvalue: number })[];
  z: (Case & { statistic: number; pvalue: number })[];
  psi: (Case & { value: number })[];
  jensen_shannon: (Case & { value: number })[];
  wasserstein: (Case & { distance: number; value: number })[];
}

export const VECTORS: Vectors = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/drift/scipy-vectors.json'), 'utf8')) as Vectors;

/** |a - b|, with equal infinities at distance 0. */
export const absDiff = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b));
