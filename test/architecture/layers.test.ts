import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCore, checkSource } from './layers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the pure core (shared/) stays pure', () => {
  it('imports no Node I/O, no AWS library and nothing from an outer layer', () => {
    // Prepare: the repository as it is

    // Act
    const { files, violations } = checkCore(root);

    // Assess: the checker really read the core, and found nothing
    expect(files).toBeGreaterThan(20);
    expect(violations).toEqual([]);
  });

  it('catches each kind of violation in a synthetic core file', () => {
    // Prepare: one file that breaks every rule, in every import form the compiler knows
    const source = [
      "import { deflateRawSync } from 'node:zlib';",
      "import { readFileSync } from 'fs';",
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import type { Item } from '../../functions/storage/item-size.js';",
      "export { tableDefinition } from '../../functions/storage/table.js';",
      "const cli = await import('../../cli/main.js');",
      "import '../../local/stack.js';",
      "import { Stack } from 'aws-cdk-lib';",
      "import { money } from '../money/money.js';",
      "import { z } from 'zod';",
    ].join('\n');

    // Act
    const violations = checkSource('shared/engine/bad.ts', source);

    // Assess: the seven bad imports are named with their reason; the two allowed ones are not
    expect(violations.map((v) => [v.specifier, v.reason])).toEqual([
      ['node:zlib', 'imports the Node I/O module zlib'],
      ['fs', 'imports the Node I/O module fs'],
      ['@aws-sdk/client-dynamodb', 'imports the AWS library @aws-sdk/client-dynamodb'],
      ['../../functions/storage/item-size.js', 'reaches into functions/, an outer layer'],
      ['../../functions/storage/table.js', 'reaches into functions/, an outer layer'],
      ['../../cli/main.js', 'reaches into cli/, an outer layer'],
      ['../../local/stack.js', 'reaches into local/, an outer layer'],
      ['aws-cdk-lib', 'imports the AWS library aws-cdk-lib'],
    ]);
  });
});
