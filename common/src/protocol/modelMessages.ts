// Messages of the MLflow model panel ("Show Model" on an artifact folder holding an MLmodel file).
// The page sends `initialized` once it listens; only then does the host send the model. Every
// string comes from the model's files and the page shows it as text only.

/** One field of a signature: a column, a tensor or a param. */
export interface SignatureField {
  /** The column or param name; '' for an unnamed column or tensor (shown by position). */
  name: string;
  /** `double`, `string`, `tensor float64`, `array<long>`, ... */
  type: string;
  /** A tensor's shape, `-1` for any length: `(-1, 4)`. */
  shape?: string;
  /** MLflow's `required: false` (columns), or a param with a default. */
  optional: boolean;
  default?: string;
}

export interface ModelSignature {
  inputs: SignatureField[];
  outputs: SignatureField[];
  params: SignatureField[];
}

/** What an MLmodel file says, as the panel shows it. */
export interface MlModelSummary {
  artifactPath?: string;
  runId?: string;
  created?: string;
  mlflowVersion?: string;
  modelUuid?: string;
  sizeBytes?: number;
  /** Each flavor with its settings as text (nested settings flattened one level: `env.conda`). */
  flavors: { name: string; settings: [string, string][] }[];
  signature?: ModelSignature;
  /** The input example's file in the model folder (MLflow's `saved_input_example_info`). */
  inputExample?: { path: string; type?: string };
}

/** An input example: a table when it is one (split, records or columns orient), else its JSON text. */
export type InputExample =
  { path: string; table: { columns: string[]; rows: string[][]; total: number } } | { path: string; text: string; truncated: boolean };

export interface ModelView {
  /** The model folder: `model` of run `<name>`. */
  title: string;
  /** Where the MLmodel file is (a path, or the run's artifact URI and path on a server). */
  where: string;
  model: MlModelSummary;
  example?: InputExample;
  /** Why the input example is not shown (missing, unreadable), if it is not. */
  exampleProblem?: string;
}

export type ModelHostMessage = { type: 'model'; payload: ModelView } | { type: 'problem'; payload: { message: string } };

export type ModelViewMessage = { type: 'initialized' };
