/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`; cdk.json runs it with tsx). Configuration is the
 * JSON file named by `-c config=<path>`, else ./firebreak.config.json when it exists, else the
 * defaults. A bad file stops synthesis with every problem named. The stack is environment-agnostic:
 * synthesis needs no AWS credentials and makes no lookups.
 */
import { existsSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type DeployConfig, DeployConfigError, loadDeployConfig, parseDeployConfig } from '../lib/config.js';
import { FirebreakStack } from '../lib/firebreak-stack.js';

const DEFAULT_CONFIG_FILE = 'firebreak.config.json';

const app = new App();
const configFile: string | undefined =
  app.node.tryGetContext('config') ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);

let config: DeployConfig;
try {
  config = configFile ? loadDeployConfig(configFile) : parseDeployConfig({}, 'defaults');
} catch (err) {
  if (!(err instanceof DeployConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
const subscribers = Object.values(config.subscribers).flat().length;
if (!subscribers) {
  process.stderr.write(
    `firebreak: no subscribers in ${configFile ?? 'the default configuration'}: nobody will be notified (docs/deploy.md, "Subscribers")\n`,
  );
}

new FirebreakStack(app, config.stackName, { config });
// AWS Solutions checks run on every synth: an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
