import { phaseHandler } from '../core/lambda/handler.js';
import { PostmortemInput, postmortem } from './index.js';

export const handler = phaseHandler(PostmortemInput, postmortem);
