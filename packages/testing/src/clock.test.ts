import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';

describe('createManualClock', () => {
  it('starts at 1_700_000_000_000 by default and moves only when told', () => {
    const clock = createManualClock();
    expect(clock.now()).toBe(1_700_000_000_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_700_000_000_500);
    clock.set(42);
    expect(clock.now()).toBe(42);
  });

  it('advance resolves due sleeps in deadline order, ties in start order', async () => {
    const clock = createManualClock(0);
    const woke: string[] = [];
    const sleeps = [
      clock.sleep(300).then(() => woke.push('300')),
      clock.sleep(100).then(() => woke.push('100a')),
      clock.sleep(100).then(() => woke.push('100b')),
      clock.sleep(1000).then(() => woke.push('1000')),
    ];
    expect(clock.pendingSleeps).toBe(4);
    clock.advance(99);
    await Promise.resolve();
    expect(woke).toEqual([]);
    clock.advance(301);
    await Promise.all(sleeps.slice(0, 3));
    expect(woke).toEqual(['100a', '100b', '300']);
    expect(clock.pendingSleeps).toBe(1);
    clock.set(1000);
    await sleeps[3];
    expect(woke).toEqual(['100a', '100b', '300', '1000']);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('a sleep of 0 or less resolves at once', async () => {
    const clock = createManualClock(0);
    await clock.sleep(0);
    await clock.sleep(-5);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('abort rejects with the signal reason and removes the sleep', async () => {
    const clock = createManualClock(0);
    const controller = new AbortController();
    const sleep = clock.sleep(1000, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sleep).rejects.toBe(reason);
    expect(clock.pendingSleeps).toBe(0);
    await expect(clock.sleep(10, controller.signal)).rejects.toBe(reason);
  });

  it('setting the clock backwards wakes nothing', async () => {
    const clock = createManualClock(1000);
    let woke = false;
    void clock.sleep(10).then(() => {
      woke = true;
    });
    clock.set(0);
    await Promise.resolve();
    expect(woke).toBe(false);
    expect(clock.pendingSleeps).toBe(1);
  });

  it('refuses negative or non-finite advances', () => {
    const clock = createManualClock(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });
});
