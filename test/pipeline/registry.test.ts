import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { InvalidRegistryError, applyRegistry, parseRegistry } from '../../shared/registry/registry.js';
import { generatedClaims, generatedRegistry } from '../../local/generate.js';

describe('the registry file', () => {
  it('names every bad field and duplicate id', () => {
    // Prepare
    const file = {
      hospitals: [{ id: 'H1', poolingArea: 'x', designated: 'yes', primaryCare: false, tiers: {} }],
      members: [],
      operators: [{ id: 'O' }, { id: 'O' }],
    };

    // Act
    const attempt = () => parseRegistry(file);

    // Assess
    expect(attempt).toThrow(InvalidRegistryError);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidRegistryError).issues.map((i) => i.path)).toContain('hospitals.0.designated');
    }
    expect(() => parseRegistry({ ...file, hospitals: [] })).toThrow(/operators.1.id duplicates id O/);
  });

  it('is authoritative: tier, categories and pooling area come from the registry, not the claim', () => {
    // Prepare
    const registry = parseRegistry(generatedRegistry(1));
    const member = { ...registry.members[0]!, categories: [] };
    const hospital = { ...registry.hospitals[2]!, poolingArea: 'elsewhere' };
    const claim = { ...generatedClaims(1, 1)[0]!, hospital: { id: hospital.id, tier: 'class1-city', designated: true, primaryCare: true, outsidePoolingArea: false } };
    const boasted = { ...claim, member: { ...claim.member, categories: ['minimum-living'] } };

    // Act
    const merged = applyRegistry(parseClaim(boasted), member, hospital);

    // Assess
    expect(merged.hospital).toEqual({ id: hospital.id, tier: 'class3', designated: true, primaryCare: false, outsidePoolingArea: true });
    expect(merged.member.categories).toEqual([]);
    expect(merged.member.enrolment).toEqual({ year: 2018, kind: 'regular', paidOn: '2017-11-15' });
  });

  it('rejects a hospital with no tier for the member region as an invalid claim', () => {
    // Prepare
    const registry = parseRegistry(generatedRegistry(1));
    const member = { ...registry.members[0]!, region: 'pingyang' as const };

    // Act
    const attempt = () => applyRegistry(parseClaim(generatedClaims(1, 1)[0]), member, registry.hospitals[0]!);

    // Assess
    expect(attempt).toThrow(InvalidClaimError);
  });

  it('checks the contract\'s cross-field rules again on the registry\'s facts', () => {
    // Prepare: the claim says the member was born long ago, the registry says after the admission
    const registry = parseRegistry(generatedRegistry(1));
    const claim = parseClaim(generatedClaims(1, 1)[0]);
    const member = { ...registry.members[0]!, birthDate: '2018-12-31' };

    // Act
    const attempt = () => applyRegistry(claim, member, registry.hospitals[0]!);

    // Assess: named at the field the registry's birth date makes wrong
    expect(attempt).toThrow(InvalidClaimError);
    expect(attempt).toThrow(/visit\.admittedOn must not be before the member's birthDate \(2018-12-31\)/);
  });
});
