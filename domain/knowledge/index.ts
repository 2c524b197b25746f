export { BUILTIN_KNOWLEDGE, BUILTIN_KNOWLEDGE_FILES } from './builtin.js';
export { mergeKnowledge, parseKnowledgeData, parseKnowledgeFile } from './load.js';
export * from './schema.js';
