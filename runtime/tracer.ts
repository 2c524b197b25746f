/**
 * The Powertools tracer, one per execution environment, in a module of its own: the AWS client
 * factory traces every client with it, and a function that needs no logger or metrics (the
 * approval endpoint) then bundles only the tracer.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

// Constructor options win over POWERTOOLS_* in Powertools, so the environment is read here first.
export const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'firebreak';

/** A no-op outside Lambda by itself (tests, the local runner). */
export const tracer = new Tracer({ serviceName });
