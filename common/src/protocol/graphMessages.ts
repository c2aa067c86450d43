import type { PipelineGraph } from '../pipeline/graph';

/**
 * Messages of the pipeline graph panel. The page sends `initialized` once it
 * listens; only then does the host send the graph.
 */
export type GraphHostMessage =
  /** Host -> page: the graph of the pipeline file shown, after every edit (debounced). */
  | { type: 'graph'; payload: { file: string; graph: PipelineGraph } }
  /** Host -> page: the file could not be read as a pipeline. */
  | { type: 'problem'; payload: { file: string; message: string } };

export type GraphViewMessage =
  /** Page -> host: the page is ready for data. */
  | { type: 'initialized' }
  /** Page -> host: the user clicked a step; reveal it in the editor. */
  | { type: 'revealStep'; payload: { stepId: string } };
