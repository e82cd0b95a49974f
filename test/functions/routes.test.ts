/**
 * The one route table: its matcher, and every place that must agree with it — the authorizer's
 * policy, the REST API's resources, the intake's IAM grants, the indexes of the table definition,
 * and the route table of docs/pipeline.md. A route added in one place and not the others fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTES_BY_ROLE } from '../../functions/authorizer/app.js';
import { ROUTES, intakeTableAccess, matchRoute, routePatternsFor } from '../../functions/intake/routes.js';
import { ORDER_INDEX } from '../../functions/storage/table.js';
import { built } from '../infra/fixture.js';

type Json = Record<string, any>;

describe('matchRoute', () => {
  it.each(ROUTES.map((r) => [r.method, r.path] as const))('matches %s %s with its parameters decoded', (method, path) => {
    // Prepare
    const concrete = path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(`${name}-值/1`));
    // Act
    const match = matchRoute(method, concrete);
    // Assess
    expect(match.kind).toBe('route');
    if (match.kind !== 'route') return;
    expect(match.route.path).toBe(path);
    for (const value of Object.values(match.params)) expect(value).toMatch(/-值\/1$/);
  });

  it.each([
    ['GET', '/claims/H-1/%E0%A4%A', 'claimId', /percent-encoded/],
    ['GET', '/claims/%ZZ/C-1', 'hospitalId', /percent-encoded/],
    ['POST', `/claims/H-1/${'c'.repeat(65)}/reversal`, 'claimId', /at most 64/],
    ['GET', `/members/${'m'.repeat(2000)}/years/2018`, 'memberId', /at most 64/],
    // The contract's one form of an id (shared/contract/ids.ts): NFD é and full-width letters are refused.
    ['GET', `/claims/H-1/${encodeURIComponent('SEC-CAFE\u0301-1')}`, 'claimId', /canonical Unicode form/],
    ['POST', `/claims/${encodeURIComponent('Ｈ-1')}/C-1/reversal`, 'hospitalId', /canonical Unicode form/],
    ['GET', `/claims/H-1/${encodeURIComponent('C 1')}`, 'claimId', /spaces/],
  ])('%s %s is a bad path naming %s', (method, path, param, message) => {
    // Act
    const match = matchRoute(method, path);
    // Assess
    expect(match).toMatchObject({ kind: 'bad-path', param });
    if (match.kind === 'bad-path') expect(match.message).toMatch(message);
  });

  it('a known path with another method is method-not-allowed with the methods it takes; anything else is not-found', () => {
    // Act / Assess
    expect(matchRoute('DELETE', '/claims/H-1/C-1')).toEqual({ kind: 'method-not-allowed', allowed: ['GET'] });
    expect(matchRoute('GET', '/claims')).toEqual({ kind: 'method-not-allowed', allowed: ['POST'] });
    expect(matchRoute('GET', '/claims/H-1')).toEqual({ kind: 'not-found' });
    expect(matchRoute('GET', '/')).toEqual({ kind: 'not-found' });
  });
});

describe('everything agrees with the route table', () => {
  it('the authorizer lets each role through exactly its routes', () => {
    // Act / Assess
    expect(ROUTES_BY_ROLE.hospital).toEqual(routePatternsFor('hospital'));
    expect(ROUTES_BY_ROLE.operator).toEqual(routePatternsFor('operator'));
    expect(routePatternsFor('hospital')).toContain('GET/hospitals/*/statements');
  });

  it('the REST API declares exactly the routes of the table, each behind the authorizer, with the query parameters it reads', () => {
    // Prepare
    const { template } = built('dev');
    const resources = template.findResources('AWS::ApiGateway::Resource') as Record<string, Json>;
    const pathOf = (id: string): string => {
      const resource = resources[id];
      if (!resource) return '';
      const parent = resource['Properties'].ParentId;
      return `${parent?.Ref ? pathOf(parent.Ref) : ''}/${resource['Properties'].PathPart}`;
    };
    // Act
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method') as Record<string, Json>)
      .filter((m) => m['Properties'].HttpMethod !== 'OPTIONS')
      .map((m) => ({ key: `${m['Properties'].HttpMethod} ${pathOf(m['Properties'].ResourceId.Ref)}`, props: m['Properties'] }));
    // Assess
    expect(methods.map((m) => m.key).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of ROUTES) {
      const method = methods.find((m) => m.key === `${route.method} ${route.path}`)!;
      expect(method.props.AuthorizationType, route.path).toBe('CUSTOM');
      for (const name of route.query) expect(Object.keys(method.props.RequestParameters), route.path).toContain(`method.request.querystring.${name}`);
    }
  });

  it("the intake's role may do on the table exactly what its routes do, and query exactly their indexes", () => {
    // Prepare
    const { template } = built('dev');
    const access = intakeTableAccess();
    const [, role] = Object.entries(template.findResources('AWS::IAM::Policy') as Record<string, Json>).find(([id]) => id.startsWith('FunctionsIntakeRole'))!;
    const statements = role['Properties'].PolicyDocument.Statement as Json[];
    // Act
    const dynamo = statements.filter((s) => [s['Action']].flat().some((a: string) => a.startsWith('dynamodb:')));
    const onTable = dynamo.filter((s) => !JSON.stringify(s['Resource']).includes('/index/'));
    const indexes = dynamo.flatMap((s) => [...JSON.stringify(s['Resource']).matchAll(/\/index\/(\w+)/g)].map((m) => m[1]));
    // Assess
    expect(onTable.flatMap((s) => [s['Action']].flat()).sort()).toEqual([...access.actions].sort());
    expect(indexes.sort()).toEqual(access.indexes);
    expect(access.indexes).toEqual([ORDER_INDEX.name]);
  });

  it('docs/pipeline.md lists every route, and no other, in its route table', () => {
    // Prepare
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'pipeline.md'), 'utf8');
    // Act
    const listed = [...doc.matchAll(/^\| `(GET|POST) (\/[^`?\s]*)[^`]*`/gm)].map((m) => `${m[1]} ${m[2]}`);
    // Assess
    expect(listed.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});
