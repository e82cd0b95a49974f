/**
 * The national interface's demo for the local stack: a hospital with a national institution code, two
 * members (one adult, one child, names and ID numbers as a registry holds them) enrolled this year and
 * last, and the demo catalogue. `npm start` loads them; docs/national-interface.md runs its sequence
 * against them.
 */
import type { RegistryFileInput } from '../../shared/registry/registry.js';
import { type Catalogue, parseCatalogue } from '../../shared/national/catalogue.js';
import demoCatalogue from './demo-catalogue.json' with { type: 'json' };

/** The demo hospital's national institution code (定点医药机构编号), also its registry id. */
export const DEMO_FIXMEDINS_CODE = 'H14070200001';
/** A second hospital, for the tests of another hospital's fixmedins_code. */
export const OTHER_FIXMEDINS_CODE = 'H14070200002';
export const DEMO_ADULT = 'P14070200000000000001';
export const DEMO_CHILD = 'P14070200000000000002';

/** The demo registry of the national sequence, enrolled in `year` and the year before. */
export function nationalDemoRegistry(year: number): Required<Pick<RegistryFileInput, 'hospitals' | 'members'>> {
  const enrolments = [year - 1, year].map((y) => ({ year: y, kind: 'regular' as const, paidOn: `${y - 1}-11-15` }));
  const hospital = (id: string, name: string) => ({ id, name, poolingArea: '140702', designated: true, primaryCare: false, tiers: { jinzhong: 'class1-city' } });
  return {
    hospitals: [hospital(DEMO_FIXMEDINS_CODE, '晋中市第一人民医院（演示）'), hospital(OTHER_FIXMEDINS_CODE, '晋中市第二人民医院（演示）')],
    members: [
      { id: DEMO_ADULT, name: '张三', idNumber: '140702197005201234', region: 'jinzhong', poolingArea: '140702', birthDate: '1970-05-20', categories: [], enrolments },
      { id: DEMO_CHILD, name: '李小花', idNumber: '140702201109301228', region: 'jinzhong', poolingArea: '140702', birthDate: '2011-09-30', categories: ['registered-poor'], enrolments },
    ],
  };
}

/** The demo catalogue, validated. */
export function demoCatalogueOf(): Catalogue {
  return parseCatalogue(demoCatalogue);
}
