import { phaseHandler } from '../core/lambda/handler.js';
import { bounded } from '../core/phase-outputs.js';
import { PostmortemInput, postmortem } from './index.js';

export const handler = phaseHandler(PostmortemInput, bounded('postmortem', postmortem));
