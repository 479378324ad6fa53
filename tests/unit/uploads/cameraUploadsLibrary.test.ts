/** The per-user Camera uploads view (src/server/uploads/cameraUploadsLibrary.ts) over fakes of its ports. */
import { describe, expect, it } from 'vitest';
import type { BaseItemDto } from '../../../src/shared/api/items';
import { CameraUploadsLibrary } from '../../../src/server/uploads/cameraUploadsLibrary';

const actor = { user: { id: 'ann' }, deviceId: 'phone' } as never;
const dto = (Id: string) => ({ Id, Name: Id, Type: 'Photo' }) as BaseItemDto;

function library(uploaded: string[], visible = uploaded) {
  const asked: Array<{ userId: string; start: number; limit: number }> = [];
  const lib = new CameraUploadsLibrary({
    uploaded: {
      page: (userId, start, limit) => {
        asked.push({ userId, start, limit });
        const ids = uploaded.slice(start, limit < 0 ? undefined : start + limit);
        return { ids, total: uploaded.length };
      },
    },
    library: {
      viewer: (_a, raw) => ({ id: raw ?? 'ann' }),
      // The library answers in its own order (here: by name), and only what the user may see.
      list: (_a, _u, q) => {
        const items = q.ids
          .filter((id) => visible.includes(id))
          .sort()
          .map(dto);
        return { Items: items, TotalRecordCount: items.length, StartIndex: 0 };
      },
    },
  });
  return { lib, asked };
}

describe('camera uploads view', () => {
  it('lists the uploads newest first, whatever order the library answers in', () => {
    const { lib } = library(['c-newest', 'a-middle', 'b-oldest']);
    const page = lib.list(actor, 'ann', {});
    expect(page.Items.map((i) => i.Id)).toEqual(['c-newest', 'a-middle', 'b-oldest']);
    expect(page.TotalRecordCount).toBe(3);
  });

  it('pages with StartIndex and Limit and reads the list of the user the library resolved', () => {
    const { lib, asked } = library(['c', 'a', 'b']);
    const page = lib.list(actor, 'ann', { startIndex: 1, limit: 1 });
    expect(page).toMatchObject({ StartIndex: 1, TotalRecordCount: 3 });
    expect(page.Items.map((i) => i.Id)).toEqual(['a']);
    expect(asked).toEqual([{ userId: 'ann', start: 1, limit: 1 }]);
  });

  it('leaves out what the library does not show the user', () => {
    const { lib } = library(['c', 'a', 'b'], ['c', 'b']);
    expect(lib.list(actor, 'ann', {}).Items.map((i) => i.Id)).toEqual(['c', 'b']);
  });
});
