/**
 * Least privilege on the keys of the table: the synthesized roles are evaluated, statement by
 * statement, for a write of each item kind, as IAM would (`Allow` on the action and the table, and the
 * `dynamodb:LeadingKeys` patterns of `ForAllValues:StringLike`). Neither the intake nor the settle
 * function can write an API key, a hospital or a member, in dev, prod or the China partition.
 */
import fc from 'fast-check';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { intakeTableAccess } from '../../functions/intake/routes.js';
import { hashApiKey } from '../../functions/storage/keys-store.js';
import {
  ITEM_KINDS,
  type ItemKind,
  SETTLE_WRITES,
  apiKeyKey,
  claimFailureKey,
  hospitalKey,
  keyCounterKey,
  keyIdKey,
  memberKey,
  prefixOf,
  settlementKey,
  totalsKey,
} from '../../functions/storage/keys.js';
import { stageConfig } from '../../infra/config.js';
import { ClaimsStack } from '../../infra/stack.js';
import { CDK_CONTEXT, built } from './fixture.js';

type Json = Record<string, any>;
type WriteAction = 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem' | 'dynamodb:BatchWriteItem';
const WRITES: readonly WriteAction[] = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** IAM's StringLike: `*` any run of characters, `?` one character, everything else literal. */
function like(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

/** Whether a statement's conditions hold for a request on one partition key; a condition this test does not know fails loudly. */
function conditionHolds(condition: Json | undefined, partitionKey: string): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition).every(([operator, tests]) => {
    if (operator !== 'ForAllValues:StringLike') throw new Error(`condition operator ${operator} is not modelled by this test`);
    return Object.entries(tests as Json).every(([key, patterns]) => {
      if (key !== 'dynamodb:LeadingKeys') throw new Error(`condition key ${key} is not modelled by this test`);
      return ([patterns].flat() as string[]).some((pattern) => like(pattern, partitionKey));
    });
  });
}

/** The role policy statements of the function `resident-claims-<stage>-<name>`. */
function statementsOf(template: Template, stage: string, name: string): Json[] {
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: `resident-claims-${stage}-${name}` } }));
  expect(fn, name).toBeDefined();
  const roleId = (fn as Json)['Properties'].Role['Fn::GetAtt'][0] as string;
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy: Json) => policy['Properties'].Roles.some((role: Json) => role['Ref'] === roleId))
    .flatMap((policy: Json) => policy['Properties'].PolicyDocument.Statement as Json[]);
}

/** Whether the table itself (not an index, not another resource) is among a statement's resources. */
const onTable = (statement: Json): boolean => [statement['Resource']].flat().some((resource: Json | string) => resource === '*' || isTableArn(resource));
const isTableArn = (resource: Json | string): boolean =>
  typeof resource === 'object' && Array.isArray(resource['Fn::GetAtt']) && /^StorageTable/.test(resource['Fn::GetAtt'][0]) && resource['Fn::GetAtt'][1] === 'Arn';

/** Whether the statements allow `action` on the item whose partition key is `partitionKey`. */
function allows(statements: Json[], action: WriteAction, partitionKey: string): boolean {
  const denied = statements.some(
    (s) => s['Effect'] === 'Deny' && ([s['Action']].flat() as string[]).some((a) => like(a, action)) && onTable(s) && conditionHolds(s['Condition'], partitionKey),
  );
  if (denied) return false;
  return statements.some(
    (s) => s['Effect'] === 'Allow' && ([s['Action']].flat() as string[]).some((a) => like(a, action)) && onTable(s) && conditionHolds(s['Condition'], partitionKey),
  );
}

/** One example key of every item kind the table defines, so a kind added later is checked too. */
const exampleOf = (kind: ItemKind): string => `${prefixOf(kind)}example`;
const ALL_KINDS = Object.keys(ITEM_KINDS) as ItemKind[];

/** The keys no function may write, built by the real key builders (and literally, so a changed prefix cannot hide one). */
const FORBIDDEN = [
  apiKeyKey(hashApiKey('ck_any')),
  'K#0000',
  keyIdKey('key-1'),
  keyCounterKey(),
  hospitalKey('H-0001'),
  'H#H-0001',
  memberKey('M-0001'),
  'M#M-0001',
];

function templateOf(target: 'dev' | 'prod' | 'prod-cn'): { stage: string; template: Template } {
  if (target !== 'prod-cn') return { stage: target, template: built(target).template };
  const app = new App({ context: { ...CDK_CONTEXT, stage: 'prod', 'aws:cdk:bundling-stacks': [] } });
  const stack = new ClaimsStack(app, 'ResidentClaims-prod', {
    config: stageConfig('prod'),
    env: { account: '123456789012', region: 'cn-north-1' },
  });
  return { stage: 'prod', template: Template.fromStack(stack, { skipCyclicalDependenciesCheck: true }) };
}

describe.each(['dev', 'prod', 'prod-cn'] as const)('item writes in %s', (target) => {
  const { stage, template } = templateOf(target);

  it.each(['intake', 'settle', 'authorizer'])('%s cannot write an API key, key id, hospital or member item by any write action', (name) => {
    // Prepare
    const statements = statementsOf(template, stage, name);
    // Act
    const writable = WRITES.flatMap((action) => FORBIDDEN.filter((key) => allows(statements, action, key)).map((key) => `${action} ${key}`));
    // Assess
    expect(writable).toEqual([]);
  });

  it('settle writes exactly the kinds it owns (SETTLE_WRITES), by PutItem only', () => {
    // Prepare
    const statements = statementsOf(template, stage, 'settle');
    // Act
    const put = ALL_KINDS.filter((kind) => allows(statements, 'dynamodb:PutItem', exampleOf(kind)));
    const other = ALL_KINDS.filter((kind) => WRITES.some((action) => action !== 'dynamodb:PutItem' && allows(statements, action, exampleOf(kind))));
    // Assess
    expect(put.sort()).toEqual([...SETTLE_WRITES].sort());
    expect(put).toEqual(expect.arrayContaining(['settlement', 'totals', 'failure']));
    expect(other).toEqual([]);
  });

  it('intake writes exactly the kinds its routes declare, the reversal’s settlement and totals', () => {
    // Prepare
    const statements = statementsOf(template, stage, 'intake');
    // Act
    const put = ALL_KINDS.filter((kind) => allows(statements, 'dynamodb:PutItem', exampleOf(kind)));
    const update = ALL_KINDS.filter((kind) => allows(statements, 'dynamodb:UpdateItem', exampleOf(kind)));
    // Assess
    expect(put.sort()).toEqual(intakeTableAccess().writes);
    expect(update.sort()).toEqual(intakeTableAccess().writes);
    expect(intakeTableAccess().writes).toEqual(expect.arrayContaining(['settlement', 'totals']));
  });

  it('the functions’ write grants hold for any identifier: a settlement and totals yes, the same ids as hospital, member or key no', () => {
    // Prepare
    const settle = statementsOf(template, stage, 'settle');
    const intake = statementsOf(template, stage, 'intake');
    const id = fc.string({ minLength: 1, maxLength: 64 });
    // Act, Assess
    fc.assert(
      fc.property(id, id, fc.integer({ min: 2000, max: 2100 }), (hospitalId, claimId, year) => {
        expect(allows(settle, 'dynamodb:PutItem', settlementKey(hospitalId, claimId))).toBe(true);
        expect(allows(settle, 'dynamodb:PutItem', claimFailureKey(hospitalId, claimId))).toBe(true);
        expect(allows(intake, 'dynamodb:UpdateItem', settlementKey(hospitalId, claimId))).toBe(true);
        expect(allows(intake, 'dynamodb:PutItem', totalsKey(claimId, year))).toBe(true);
        for (const key of [hospitalKey(hospitalId), memberKey(claimId), apiKeyKey(hashApiKey(claimId)), keyIdKey(claimId)]) {
          for (const action of WRITES) {
            expect(allows(settle, action, key), `settle ${action} ${key}`).toBe(false);
            expect(allows(intake, action, key), `intake ${action} ${key}`).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the evaluator of this test', () => {
  it('matches IAM’s StringLike and refuses a condition it does not model', () => {
    // Assess
    expect(like('C#*', 'C#H-1#A')).toBe(true);
    expect(like('C#*', 'XC#H-1')).toBe(false);
    expect(like('K#*', 'KI#1')).toBe(false);
    expect(like('dynamodb:*', 'dynamodb:PutItem')).toBe(true);
    expect(allows([{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*' }], 'dynamodb:PutItem', 'K#x')).toBe(true);
    expect(() => conditionHolds({ StringEquals: { 'aws:SourceAccount': '1' } }, 'C#x')).toThrow(/not modelled/);
  });
});
