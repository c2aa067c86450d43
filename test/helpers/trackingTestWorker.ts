// The engine's worker hosting the test repository (see trackingTestRepository.ts).
import { runWorker } from '../../client/src/core/tracking/engine/workerMain';
import { testBinding } from './trackingTestRepository';

runWorker(testBinding);
