/**
 * Block traffic: add a source range to a WAF IP set that a blocking rule of the web ACL references.
 * WAF's lock token makes the read-modify-write safe against a concurrent edit.
 */
import { GetIPSetCommand, UpdateIPSetCommand, type WAFV2Client } from '@aws-sdk/client-wafv2';
import { blockableCidr, parseCidr } from '../../../domain/actions/cidr.js';
import { ActionRefused, alreadyDone, changeOutcome } from '../../../domain/actions/outcome.js';
import type { WafIpSet } from '../../../domain/actions/resources.js';
import type { MitigationAction } from '../../../domain/model.js';
import type { ActionOutcome } from '../../../domain/ports.js';

const WAF_ADDRESS_LIMIT = 10_000;

export async function blockInWafIpSet(
  waf: WAFV2Client,
  res: WafIpSet,
  action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  if (typeof action.params.cidr !== 'string') throw new ActionRefused('block-traffic needs a cidr to block');
  const cidr = blockableCidr(action.params.cidr, res.neverBlock);
  const out = await waf.send(new GetIPSetCommand({ Name: res.name, Scope: res.scope, Id: res.id }));
  const set = out.IPSet;
  if (!set || !out.LockToken) throw new ActionRefused(`WAF IP set ${res.name} was not found`);
  if ((set.IPAddressVersion === 'IPV4' ? 4 : 6) !== cidr.version) {
    throw new ActionRefused(
      `${cidr.text} is IPv${cidr.version}; IP set ${res.name} holds ${set.IPAddressVersion} ranges`,
    );
  }
  const addresses = set.Addresses ?? [];
  const before = { ipSet: res.name, addresses: addresses.length };
  const where = `WAF IP set ${res.name} (${res.scope})`;
  if (addresses.some((a) => parseCidr(a).text === cidr.text)) {
    return alreadyDone(dryRun, before, `${cidr.text} is already in ${where}`);
  }
  if (addresses.length >= WAF_ADDRESS_LIMIT) throw new ActionRefused(`${where} is full`);
  const change = `${where}: add ${cidr.text} (${addresses.length} -> ${addresses.length + 1} ranges)`;
  const plan = {
    before,
    expected: { ...before, addresses: addresses.length + 1 },
    detail: change,
    resolvedParams: { cidr: cidr.text },
  };
  return changeOutcome(dryRun, plan, async () => {
    await waf.send(
      new UpdateIPSetCommand({
        Name: res.name,
        Scope: res.scope,
        Id: res.id,
        Addresses: [...addresses, cidr.text],
        Description: set.Description,
        LockToken: out.LockToken,
      }),
    );
    return { ...before, addresses: addresses.length + 1, added: cidr.text };
  });
}
