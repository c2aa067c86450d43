// Entry of client/out/trackingWorker.js: the engine hosting the real repository in a worker thread.
import { trackingBinding } from './repositoryBinding';
import { runWorker } from './workerMain';

runWorker(trackingBinding);
