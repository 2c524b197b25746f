import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../../../domain/analyst/offline/evidence/catalog.js';
import { affectedService } from '../../../../../domain/analyst/offline/evidence/gather.js';
import type { NormalizedAlert } from '../../../../../domain/model.js';
import type { InvestigationContext } from '../../../../../domain/ports.js';

const catalog = new Catalog([
  { name: 'deploy-console', tier: 'critical', userFacing: true, dependsOn: ['deploy-db'] },
  { name: 'deploy-db', tier: 'critical', userFacing: false, dependsOn: [] },
]);

function ctx(service: string | undefined, title: string): InvestigationContext {
  const alert = {
    service,
    title,
    status: 'firing',
    fingerprint: 'f',
    labels: {},
  } as unknown as NormalizedAlert;
  return {
    incident: { title } as InvestigationContext['incident'],
    alerts: [alert],
    window: { from: '2026-06-09T19:54:00Z', to: '2026-06-09T20:54:00Z' },
    services: [],
  };
}

describe('affectedService', () => {
  it("finds the catalog service inside a paging tool's name for it", () => {
    const c = ctx('deploy-console external checks', 'DOWN alert: console.example.com is DOWN - HTTP 504');
    expect(affectedService(c, catalog)).toBe('deploy-console');
  });

  it('keeps a known service as given, and an unknown name that names nothing as it is', () => {
    expect(affectedService(ctx('deploy-db', 'deploy-console slow'), catalog)).toBe('deploy-db');
    expect(affectedService(ctx('billing external checks', 'DOWN alert'), catalog)).toBe(
      'billing external checks',
    );
  });
});
