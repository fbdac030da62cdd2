import { crossesSnapshotBoundary } from './snapshots';

describe('crossesSnapshotBoundary', () => {
  it('is true when the new version reaches or passes a multiple of every', () => {
    expect(crossesSnapshotBoundary(5, 4, 5)).toBe(true);
    expect(crossesSnapshotBoundary(5, 3, 7)).toBe(true);
    expect(crossesSnapshotBoundary(5, 9, 11)).toBe(true);
  });

  it('is false within one interval', () => {
    expect(crossesSnapshotBoundary(5, 0, 4)).toBe(false);
    expect(crossesSnapshotBoundary(5, 5, 9)).toBe(false);
  });
});
