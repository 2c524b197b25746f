/**
 * The service catalog as a graph: who the affected service depends on, who else shares those
 * dependencies, and how any other service relates to the one that alerted. Relation drives how
 * much a change or an error elsewhere can explain this incident.
 */
import type { ServiceInfo } from '../../../ports.js';

/** Name parts too common across catalogs to say which service a line means. */
const GENERIC_PARTS = new Set(
  'api app apps web www svc service services server srv db dbs database prod production staging primary secondary replica internal external vendor cluster main core gateway worker workers backend frontend proxy cache queue store data platform edge public private aws cloud region zone east west north south central site node nodes job jobs task tasks http https grpc rpc client clients'.split(
    ' ',
  ),
);

const nameParts = (name: string): string[] => name.toLowerCase().split(/[^a-z0-9]+/);

export type Relation = 'self' | 'dependency' | 'sibling' | 'dependent' | 'unrelated';

export class Catalog {
  private readonly byName = new Map<string, ServiceInfo>();

  constructor(readonly services: ServiceInfo[]) {
    for (const s of services) this.byName.set(s.name.toLowerCase(), s);
  }

  get(name: string | undefined): ServiceInfo | undefined {
    return name ? this.byName.get(name.toLowerCase()) : undefined;
  }

  names(): string[] {
    return this.services.map((s) => s.name);
  }

  /** Transitive dependencies of a service (not including itself). */
  dependencies(name: string | undefined): string[] {
    const out = new Set<string>();
    const walk = (n: string | undefined) => {
      for (const d of this.get(n)?.dependsOn ?? []) {
        if (out.has(d) || d.toLowerCase() === name?.toLowerCase()) continue;
        out.add(d);
        walk(d);
      }
    };
    walk(name);
    return [...out];
  }

  /**
   * The one direct dependency of `service` a line names by a distinctive part of its name
   * (`vendor-oms` in "OMS request timed out"): callers shorten what they call. Parts every
   * catalog reuses (api, db, service, vendor, …) never decide, nor does a part of the caller's own
   * name (`pipeline` is pipeline-service's own word before it is pipeline-db's); two candidates
   * mean none.
   */
  dependencyNamedIn(service: string | undefined, text: string): string | undefined {
    // A request's path names the caller's own resources (`POST /api/v2/checkout/orders`), not
    // what it calls; a URL's host still names the dependency.
    const words = new Set(
      text
        .replace(/(^|[\s"'=(])((?:[a-z][a-z0-9+.-]*:\/\/[^/\s"']+)?)\/[^\s"'?#)]*/gi, '$1$2')
        .toLowerCase()
        .split(/[^a-z0-9]+/),
    );
    const own = new Set(nameParts(service ?? ''));
    const named = (this.get(service)?.dependsOn ?? []).filter((d) =>
      nameParts(d).some(
        (p) => p.length >= 3 && !GENERIC_PARTS.has(p) && !/^\d+$/.test(p) && !own.has(p) && words.has(p),
      ),
    );
    return named.length === 1 ? (this.get(named[0])?.name ?? named[0]) : undefined;
  }

  /** Services that depend (directly) on the given one. */
  dependents(name: string): string[] {
    const n = name.toLowerCase();
    return this.services.filter((s) => s.dependsOn?.some((d) => d.toLowerCase() === n)).map((s) => s.name);
  }

  /** The service owning an alarm name, if the catalog lists it. */
  ownerOfAlarm(alarm: string): string | undefined {
    const a = alarm.toLowerCase();
    return this.services.find((s) => s.alarms?.some((x) => x.toLowerCase() === a))?.name;
  }

  relation(other: string | undefined, affected: string | undefined): Relation {
    if (!other || !affected) return 'unrelated';
    const o = other.toLowerCase();
    if (o === affected.toLowerCase()) return 'self';
    const deps = this.dependencies(affected).map((d) => d.toLowerCase());
    if (deps.includes(o)) return 'dependency';
    const otherDeps = this.dependencies(other).map((d) => d.toLowerCase());
    if (otherDeps.includes(affected.toLowerCase())) return 'dependent';
    if (otherDeps.some((d) => deps.includes(d))) return 'sibling';
    return 'unrelated';
  }
}
