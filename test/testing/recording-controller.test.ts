/**
 * RecordingResourceController is public API (`tideway/testing`): a ResourceController that keeps
 * capacity in memory, provisions with a delay, records every call and can be told to fail.
 */
import type { ScaleContext } from 'tideway';
import { ManualClock, RecordingResourceController } from 'tideway/testing';
import { describe, expect, it } from 'vitest';

const open = () => ({ signal: new AbortController().signal });

function context(decisionId = 'web#1', signal = new AbortController().signal): ScaleContext {
  return { signal, reason: 'ScaleOut', message: 'Scale out.', decisionId, idempotencyKey: `${decisionId}:x` };
}

describe('RecordingResourceController', () => {
  it('starts every group at the initial capacity (default 0), or per group', async () => {
    const clock = new ManualClock();
    expect(await new RecordingResourceController({ clock }).getCapacity('web', open())).toEqual({
      desired: 0,
      ready: 0,
    });
    const controller = new RecordingResourceController({ clock, initial: { web: 3 } });
    expect(await controller.getCapacity('web', open())).toEqual({ desired: 3, ready: 3 });
    expect(await controller.getCapacity('api', open())).toEqual({ desired: 0, ready: 0 });
    expect(controller.capacityOf('web')).toEqual({ desired: 3, ready: 3, provisioning: 0 });
  });

  it('without a provisioning delay, new units are ready at once', async () => {
    const clock = new ManualClock();
    const controller = new RecordingResourceController({ clock, initial: 2 });
    await controller.setCapacity('web', 5, context());
    expect(controller.capacityOf('web')).toEqual({ desired: 5, ready: 5, provisioning: 0 });
  });

  it('new units become ready exactly provisioningDelay after the change', async () => {
    const clock = new ManualClock();
    const controller = new RecordingResourceController({ clock, initial: 2, provisioningDelay: 60_000 });
    await controller.setCapacity('web', 5, context());
    await clock.advanceAsync(59_999);
    expect(await controller.getCapacity('web', open())).toEqual({ desired: 5, ready: 2 });
    await clock.advanceAsync(1);
    expect(await controller.getCapacity('web', open())).toEqual({ desired: 5, ready: 5 });
  });

  it('a removal cancels pending launches first, newest first, then removes ready units', async () => {
    const clock = new ManualClock();
    const controller = new RecordingResourceController({ clock, initial: 2, provisioningDelay: 60_000 });
    await controller.setCapacity('web', 4, context()); // +2 ready at 60 s
    await clock.advanceAsync(10_000);
    await controller.setCapacity('web', 7, context()); // +3 ready at 70 s
    await controller.setCapacity('web', 5, context()); // −2: from the +3 launch
    expect(controller.capacityOf('web')).toEqual({ desired: 5, ready: 2, provisioning: 3 });
    await clock.advanceAsync(50_000); // 60 s: the first launch is ready
    expect(controller.capacityOf('web')).toEqual({ desired: 5, ready: 4, provisioning: 1 });
    await controller.setCapacity('web', 1, context()); // −4: the pending 1, then 3 ready
    expect(controller.capacityOf('web')).toEqual({ desired: 1, ready: 1, provisioning: 0 });
    await clock.advanceAsync(60_000);
    expect(controller.capacityOf('web')).toEqual({ desired: 1, ready: 1, provisioning: 0 });
  });

  it('setExternally sets a size with every unit ready and no launch pending', async () => {
    const clock = new ManualClock();
    const controller = new RecordingResourceController({ clock, initial: 2, provisioningDelay: 60_000 });
    await controller.setCapacity('web', 6, context());
    controller.setExternally('web', 3);
    expect(controller.capacityOf('web')).toEqual({ desired: 3, ready: 3, provisioning: 0 });
    await clock.advanceAsync(60_000);
    expect(controller.capacityOf('web')).toEqual({ desired: 3, ready: 3, provisioning: 0 });
  });

  it('records every call with its time, capacity, context and outcome', async () => {
    const clock = new ManualClock(1000);
    const controller = new RecordingResourceController({ clock, initial: 1 });
    await controller.getCapacity('web', open());
    await clock.advanceAsync(500);
    await controller.setCapacity('web', 4, context('web#7'));
    controller.failNext('setCapacity');
    await expect(controller.setCapacity('web', 5, context('web#8'))).rejects.toThrow('setCapacity failed');
    expect(controller.calls).toEqual([
      { method: 'getCapacity', groupId: 'web', at: 1000, ok: true },
      {
        method: 'setCapacity',
        groupId: 'web',
        at: 1500,
        capacity: 4,
        context: { reason: 'ScaleOut', decisionId: 'web#7', idempotencyKey: 'web#7:x' },
        ok: true,
      },
      {
        method: 'setCapacity',
        groupId: 'web',
        at: 1500,
        capacity: 5,
        context: { reason: 'ScaleOut', decisionId: 'web#8', idempotencyKey: 'web#8:x' },
        ok: false,
      },
    ]);
  });

  it('records nothing with record: false', async () => {
    const clock = new ManualClock();
    const controller = new RecordingResourceController({ clock, record: false });
    await controller.setCapacity('web', 2, context());
    await controller.getCapacity('web', open());
    expect(controller.calls).toEqual([]);
    expect(controller.capacityOf('web').desired).toBe(2);
  });

  it('failNext fails only that method, leaves capacity unchanged, then works again', async () => {
    const clock = new ManualClock();
    const controller = new RecordingResourceController({ clock, initial: 2 });
    const quota = new Error('quota');
    controller.failNext('setCapacity', 2, quota);
    await expect(controller.getCapacity('web', open())).resolves.toEqual({ desired: 2, ready: 2 });
    await expect(controller.setCapacity('web', 3, context())).rejects.toBe(quota);
    await expect(controller.setCapacity('web', 3, context())).rejects.toBe(quota);
    expect(controller.capacityOf('web').desired).toBe(2);
    await controller.setCapacity('web', 3, context());
    expect(controller.capacityOf('web').desired).toBe(3);
    controller.failNext('getCapacity');
    await expect(controller.getCapacity('web', open())).rejects.toThrow('getCapacity failed');
  });

  it('hangNext waits for the call to be aborted, then rejects with the reason', async () => {
    const clock = new ManualClock();
    const controller = new RecordingResourceController({ clock, initial: 2 });
    controller.hangNext('setCapacity');
    const abort = new AbortController();
    let settled = false;
    const hung = controller.setCapacity('web', 4, context('web#1', abort.signal)).finally(() => {
      settled = true;
    });
    await clock.advanceAsync(1e9);
    expect(settled).toBe(false);
    abort.abort(new Error('timeout'));
    await expect(hung).rejects.toThrow('timeout');
    expect(controller.capacityOf('web').desired).toBe(2);
  });

  it.each([-1, Number.NaN])('rejects a provisioningDelay of %s', (delay) => {
    expect(
      () => new RecordingResourceController({ clock: new ManualClock(), provisioningDelay: delay }),
    ).toThrow(RangeError);
  });
});
