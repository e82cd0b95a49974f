/** Builds the stack for a stage in process, without bundling (0.2 s instead of seconds per stage). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/claims-app.js';
import type { ClaimsStack } from '../../infra/stack.js';

export interface Built {
  readonly stack: ClaimsStack;
  readonly template: Template;
}

const cache = new Map<string, Built>();

/** The context of cdk.json (feature flags included), so the tests build the app `npx cdk synth` builds. */
export const CDK_CONTEXT = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/**
 * The stack of `stage` and its template. Bundling is skipped (`aws:cdk:bundling-stacks: []`, the
 * handlers get placeholder assets); the one test that bundles runs the real `cdk synth`.
 */
export function built(stage: 'dev' | 'prod', context: Record<string, unknown> = {}): Built {
  const key = `${stage}:${JSON.stringify(context)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const app = new App({ context: { ...CDK_CONTEXT, stage, 'aws:cdk:bundling-stacks': [], ...context } });
  const { stack } = buildApp(app, { nag: false });
  const result = { stack, template: Template.fromStack(stack, { skipCyclicalDependenciesCheck: true }) };
  cache.set(key, result);
  return result;
}

/** Logical ids of the resources of `type` whose properties match `predicate`. */
export function logicalIds(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type));
}
