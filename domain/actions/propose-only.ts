import type { Actions } from '../ports.js';

/**
 * The action adapter when none is enabled: reports failure rather than pretending. The flow only
 * calls it for an enabled action, so reaching it means the configuration enables an action that
 * has no adapter in this deployment.
 */
export const proposeOnlyActions: Actions = {
  execute: async (action) => ({
    status: 'failed',
    detail: `no adapter can execute ${action.kind} in this deployment; run it by hand`,
  }),
};
