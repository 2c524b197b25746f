/**
 * Model output is a proposal, checked against what code read from the evidence before anything else
 * sees it. Cited evidence ids must be ids a tool returned; a culprit must name something the
 * evidence, the changes or the catalog name; a category must be backed by evidence of its kind;
 * confidence is capped by the evidence that survives; a change blamed must precede the onset; every
 * parameter of a proposed action is checked against the evidence and sane bounds. This sits in front
 * of the plan phase's allow-list (which checks kind, target and parameter forms again) and human
 * approval — the model never decides what runs.
 */
export * from './actions.js';
export * from './addresses.js';
export * from './conclusions.js';
export * from './facts.js';
export * from './triage.js';
