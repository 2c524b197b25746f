import { bounded } from '../../domain/flow/phase-outputs.js';
import { phaseHandler } from '../../runtime/handler.js';
import { PostmortemInput, postmortem } from './index.js';

export const handler = phaseHandler(PostmortemInput, bounded('postmortem', postmortem));
