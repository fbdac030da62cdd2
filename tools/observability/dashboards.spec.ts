import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboards, DASHBOARDS_DIR, dashboardText } from './dashboards';

describe('the shipped Grafana dashboards', () => {
  const generated = dashboards();

  it('are the files in deploy/observability/dashboards, as `npm run dashboards` writes them', () => {
    expect(readdirSync(DASHBOARDS_DIR).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, content] of Object.entries(generated)) expect(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')).toBe(dashboardText(content));
  });

  it('give every dashboard its own uid and every panel a query, on the data source chosen at import', () => {
    const all = Object.values(generated) as { uid: string; panels: { title: string; targets: { expr: string; datasource: { uid: string } }[] }[] }[];
    expect(new Set(all.map((dashboard) => dashboard.uid)).size).toBe(all.length);
    for (const dashboard of all) {
      expect(dashboard.panels.length).toBeGreaterThan(0);
      for (const panel of dashboard.panels) {
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const target of panel.targets) {
          expect(target.expr).toMatch(/conduct_|process_|nodejs_/);
          expect(target.datasource.uid).toBe('${datasource}');
        }
      }
    }
  });
});
