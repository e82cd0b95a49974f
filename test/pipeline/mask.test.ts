import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskIdNumber, maskName, maskPersonalData } from '../../functions/lib/mask.js';
import { createLogger } from '../../functions/lib/logger.js';

describe('masking personal data', () => {
  afterEach(() => vi.restoreAllMocks());

  it('masks ID numbers everywhere and member names, but keeps item names', () => {
    // Prepare
    const record = {
      member: { id: 'M-1', name: '张三丰', idNumber: '140702197005201234', enrolment: { year: 2018 } },
      items: [{ name: 'catalogue drugs and services', amount: '10.00' }],
      registry: { members: [{ name: '李四', idNumber: '110101199001011234' }] },
      idNumber: '123456',
    };

    // Act
    const masked = maskPersonalData(record);

    // Assess
    expect(masked.member.name).toBe('张**');
    expect(masked.member.idNumber).toBe('140*************34');
    expect(masked.member.id).toBe('M-1');
    expect(masked.items[0]?.name).toBe('catalogue drugs and services');
    expect(masked.registry.members[0]).toEqual({ name: '李*', idNumber: '110*************34' });
    expect(masked.idNumber).toBe('123*56');
    expect(record.member.name).toBe('张三丰');
  });

  it('masks short values completely', () => {
    // Prepare, Act, Assess
    expect(maskIdNumber('1234')).toBe('****');
    expect(maskName('王')).toBe('*');
  });

  it('the structured logger writes JSON with personal fields masked', () => {
    // Prepare
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const logger = createLogger('test', 'INFO');

    // Act
    logger.info('registry member loaded', { member: { id: 'M-9', name: '王小明', idNumber: '140702200001011234' } });

    // Assess
    const line = lines.join('');
    const entry = JSON.parse(line.trim().split('\n').at(-1) ?? '{}') as { message: string; member: { name: string; idNumber: string; id: string } };
    expect(entry.message).toBe('registry member loaded');
    expect(entry.member).toEqual({ id: 'M-9', name: '王**', idNumber: '140*************34' });
    expect(line).not.toContain('王小明');
    expect(line).not.toContain('140702200001011234');
  });
});
