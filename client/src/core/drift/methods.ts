/** The drift methods of a monitor's `data_drift.method`, and how each one's figure is judged. */

export const DRIFT_METHODS = ['ks', 'chi2', 'z', 'psi', 'jensen_shannon', 'wasserstein'] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];
export type MethodChoice = DriftMethod | 'auto';

/** A p-value test finds drift when p < threshold; a distance, when it is >= threshold. */
export const METHOD_INFO: Record<
  DriftMethod,
  { readonly label: string; readonly measure: 'p_value' | 'distance'; readonly defaultThreshold: number; readonly numericOnly: boolean }
> = {
  ks: { label: 'K-S p-value', measure: 'p_value', defaultThreshold: 0.05, numericOnly: true },
  chi2: { label: 'chi-square p-value', measure: 'p_value', defaultThreshold: 0.05, numericOnly: false },
  z: { label: 'Z-test p-value', measure: 'p_value', defaultThreshold: 0.05, numericOnly: false },
  psi: { label: 'PSI', measure: 'distance', defaultThreshold: 0.1, numericOnly: false },
  jensen_shannon: { label: 'Jensen-Shannon distance', measure: 'distance', defaultThreshold: 0.1, numericOnly: false },
  wasserstein: { label: 'Wasserstein distance (normed)', measure: 'distance', defaultThreshold: 0.1, numericOnly: true },
};

export function isMethodChoice(value: string): value is MethodChoice {
  return value === 'auto' || (DRIFT_METHODS as readonly string[]).includes(value);
}
