import type { FeatureViewPreview } from '../features/preview';

/**
 * Messages of the feature view preview panel. The page sends `initialized`
 * once it listens; only then does the host send what it has.
 */
export type FeaturePreviewHostMessage =
  /** Host -> page: the source is being read (the page keeps what it shows, dimmed). */
  | { type: 'loading'; view: string }
  | { type: 'preview'; payload: FeatureViewPreview }
  /** Host -> page: the preview could not be made; the message names the file and column. */
  | { type: 'error'; view: string; message: string };

export type FeaturePreviewViewMessage =
  | { type: 'initialized' }
  /** Page -> host: read the source again. */
  | { type: 'refresh' }
  /** Page -> host: open the features file at the view's definition. */
  | { type: 'openDefinition' };
