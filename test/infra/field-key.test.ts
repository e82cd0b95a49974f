/**
 * The field key's grants: members' names and ID numbers are encrypted under the data key
 * (functions/storage/field-crypto.ts). The intake alone may decrypt them, only messages of that
 * purpose; no other function can, and the stack names the key for `claims registry load`.
 */
import { describe, expect, it } from 'vitest';
import { FIELD_PURPOSE } from '../../functions/storage/field-crypto.js';
import { built } from './fixture.js';

type Json = Record<string, any>;

/** The role policy statements of each function, by the function's short name. */
function statementsByFunction(): Map<string, Json[]> {
  const { template } = built('dev');
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Json[];
  const out = new Map<string, Json[]>();
  for (const fn of Object.values(template.findResources('AWS::Lambda::Function')) as Json[]) {
    const name = String(fn['Properties'].FunctionName ?? '').replace(/^resident-claims-dev-/, '');
    const roleId = fn['Properties'].Role?.['Fn::GetAtt']?.[0] as string | undefined;
    const mine = policies.filter((p) => p['Properties'].Roles.some((role: Json) => role['Ref'] === roleId));
    out.set(name, mine.flatMap((p) => p['Properties'].PolicyDocument.Statement as Json[]));
  }
  return out;
}

/** Allow statements that let a role call KMS directly (no kms:ViaService), i.e. decrypt a field. */
const directKms = (statements: Json[]): Json[] =>
  statements.filter(
    (s) => s['Effect'] === 'Allow' && [s['Action']].flat().some((a: string) => a.startsWith('kms:')) && s['Condition']?.['StringEquals']?.['kms:ViaService'] === undefined,
  );
/** The explicit deny of decrypting a personal field. */
const FIELD_DENY = expect.objectContaining({ Effect: 'Deny', Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': FIELD_PURPOSE } } });

describe('the field key', () => {
  it('the intake may decrypt personal fields, only under their encryption context; it is told the key', () => {
    // Act
    const { template } = built('dev');
    const intake = statementsByFunction().get('intake') ?? [];
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'resident-claims-dev-intake' } })) as Json[];

    // Assess
    expect(directKms(intake)).toEqual([
      expect.objectContaining({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': FIELD_PURPOSE } } }),
    ]);
    expect(fn?.['Properties'].Environment.Variables.FIELD_KEY_ARN).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EncryptionDataKey/), 'Arn'] });
  });

  it('every other function is denied decrypting a field, whatever else it may decrypt: the settle path never sees a name', () => {
    // Act
    const functions = statementsByFunction();
    const others = [...functions].filter(([name]) => name !== 'intake');

    // Assess: the consumer grant of the queue is an unconditional kms:Decrypt, hence the explicit deny
    expect(others.map(([name]) => name).sort()).toEqual(['authorizer', 'bulk', 'settle', 'sweeper']);
    for (const [name, statements] of others) expect(statements, name).toContainEqual(FIELD_DENY);
    expect(functions.get('intake')).not.toContainEqual(FIELD_DENY);
  });

  it('the stack outputs the key for the registry loader', () => {
    // Act
    const outputs = built('dev').template.findOutputs('FieldKeyArn');

    // Assess
    expect(Object.values(outputs)[0]?.['Value']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EncryptionDataKey/), 'Arn'] });
  });
});
