/** The replay's kept claim texts: every text reads back as it was kept, from memory or from the scratch file. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextStore } from '../../cli/replay-state.js';

describe('TextStore', () => {
  it('reads back every kept text, Chinese and surrogate pairs included, across many spilled blocks', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 64, max: 4096 }), (texts, blockSize) => {
        // Prepare
        const store = new TextStore(blockSize);
        // Act
        const kept = texts.map((text) => store.keep(text));
        const read = kept.map((place) => store.read(place as { at: number; length: number }));
        // Assess
        expect(read).toEqual(texts);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps a text longer than a block', () => {
    // Prepare
    const store = new TextStore(16);
    const long = '乙类药品'.repeat(100);
    // Act
    const first = store.keep('short');
    const second = store.keep(long);
    const third = store.keep('after');
    // Assess
    expect([first, second, third].map((place) => store.read(place as { at: number; length: number }))).toEqual(['short', long, 'after']);
  });
});
