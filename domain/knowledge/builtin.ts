/**
 * The built-in failure knowledge library. Every knowledge/entries file is a static JSON import, so
 * esbuild bundles the data into each Lambda (nothing is read from disk at run time), and every
 * entry is validated here, once, at module load, by the same parser as a user's own files: a bad
 * built-in entry throws when this module is imported.
 */
import cacheRedisMemcached from '../../knowledge/entries/cache-redis-memcached.json' with { type: 'json' };
import cdnWaf from '../../knowledge/entries/cdn-waf.json' with { type: 'json' };
import clocksDatesTimezones from '../../knowledge/entries/clocks-dates-timezones.json' with { type: 'json' };
import containersEcsEksK8s from '../../knowledge/entries/containers-ecs-eks-k8s.json' with { type: 'json' };
import datastoresBrokersCoordination from '../../knowledge/entries/datastores-brokers-coordination.json' with {
  type: 'json',
};
import deployConfigFlags from '../../knowledge/entries/deploy-config-flags.json' with { type: 'json' };
import dynamodb from '../../knowledge/entries/dynamodb.json' with { type: 'json' };
import iamStsKms from '../../knowledge/entries/iam-sts-kms.json' with { type: 'json' };
import kafkaKinesisSqsSns from '../../knowledge/entries/kafka-kinesis-sqs-sns.json' with { type: 'json' };
import lambda from '../../knowledge/entries/lambda.json' with { type: 'json' };
import loadBalancers from '../../knowledge/entries/load-balancers.json' with { type: 'json' };
import networkVpcNatDnsTgw from '../../knowledge/entries/network-vpc-nat-dns-tgw.json' with { type: 'json' };
import postgresMysqlAurora from '../../knowledge/entries/postgres-mysql-aurora.json' with { type: 'json' };
import regexSerialization from '../../knowledge/entries/regex-serialization.json' with { type: 'json' };
import runtimes from '../../knowledge/entries/runtimes-jvm-node-python-go-dotnet.json' with { type: 'json' };
import security from '../../knowledge/entries/security.json' with { type: 'json' };
import storageDiskS3 from '../../knowledge/entries/storage-disk-s3.json' with { type: 'json' };
import thirdPartyApis from '../../knowledge/entries/third-party-apis.json' with { type: 'json' };
import tlsCertificates from '../../knowledge/entries/tls-certificates.json' with { type: 'json' };
import { mergeKnowledge, parseKnowledgeData } from './load.js';
import type { KnowledgeEntry } from './schema.js';

/** Each built-in file's data, keyed by its path in the repository (the name errors use). */
const FILES: ReadonlyArray<readonly [string, unknown]> = [
  ['knowledge/entries/postgres-mysql-aurora.json', postgresMysqlAurora],
  ['knowledge/entries/dynamodb.json', dynamodb],
  ['knowledge/entries/cache-redis-memcached.json', cacheRedisMemcached],
  ['knowledge/entries/kafka-kinesis-sqs-sns.json', kafkaKinesisSqsSns],
  ['knowledge/entries/lambda.json', lambda],
  ['knowledge/entries/containers-ecs-eks-k8s.json', containersEcsEksK8s],
  ['knowledge/entries/load-balancers.json', loadBalancers],
  ['knowledge/entries/network-vpc-nat-dns-tgw.json', networkVpcNatDnsTgw],
  ['knowledge/entries/tls-certificates.json', tlsCertificates],
  ['knowledge/entries/iam-sts-kms.json', iamStsKms],
  ['knowledge/entries/cdn-waf.json', cdnWaf],
  ['knowledge/entries/runtimes-jvm-node-python-go-dotnet.json', runtimes],
  ['knowledge/entries/regex-serialization.json', regexSerialization],
  ['knowledge/entries/clocks-dates-timezones.json', clocksDatesTimezones],
  ['knowledge/entries/third-party-apis.json', thirdPartyApis],
  ['knowledge/entries/deploy-config-flags.json', deployConfigFlags],
  ['knowledge/entries/security.json', security],
  ['knowledge/entries/storage-disk-s3.json', storageDiskS3],
  ['knowledge/entries/datastores-brokers-coordination.json', datastoresBrokersCoordination],
];

/** The built-in entries per file, validated (for tools that report per area). */
export const BUILTIN_KNOWLEDGE_FILES: ReadonlyArray<{ file: string; entries: readonly KnowledgeEntry[] }> =
  Object.freeze(
    FILES.map(([file, data]) => Object.freeze({ file, entries: parseKnowledgeData(data, file) })),
  );

/** Every built-in entry, ids unique across all files. */
export const BUILTIN_KNOWLEDGE: readonly KnowledgeEntry[] = Object.freeze(
  mergeKnowledge(BUILTIN_KNOWLEDGE_FILES),
);
