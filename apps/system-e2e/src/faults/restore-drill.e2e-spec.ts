import { runRestoreDrill } from './restore-drill';

/*
 * Restoring a service's database from a backup (issue on operations, point 4): a restore must never
 * hand out a stream version twice under two different hashes unnoticed, and the runbook's catch-up
 * brings back what Kafka holds of what the restore lost. The drill runs on a PostgreSQL cluster and
 * a Kafka broker of its own, with real pg_dump and pg_restore.
 */
describe('the restore drill', () => {
  it('flags a version handed out twice after a restore, and the catch-up brings back the lost events and consumer state', async () => {
    const report = await runRestoreDrill((line) => console.log(`[restore drill] ${line}`));
    console.log(`restore drill: ${JSON.stringify(report)}`);

    // The restore lost what was published after the backup: two notes (and the notices' effects).
    expect(report.lostByRestore).toBeGreaterThanOrEqual(2);
    // 1. Restarted as it is: B's note after the restore took version 3 again; reporting did not apply
    // it but counted it (ConductConflictingHistory fires on that), and B's timeline, which records
    // every arrival, holds both version 3s and says tampered at version 3.
    expect(report.reissued.version).toBe(3);
    expect(report.reissued.conflictsCounted).toBeGreaterThanOrEqual(1);
    expect(report.reissued.timeline).toBe('tampered at version 3');
    expect(report.reissued.eventsAtVersion3).toBe(2);
    // 2. The catch-up: A's note comes back from Kafka, the very event; B is reported forked at 3, not imported.
    expect(report.catchUp.imported).toBeGreaterThanOrEqual(1);
    expect(report.catchUp.forked).toEqual([expect.objectContaining({ streamId: report.reissued.caseId, streamVersion: 3 })]);
    expect(report.catchUp.incomplete).toEqual([]);
    expect(report.catchUp.rewound.length).toBeGreaterThan(0);
    expect(report.caseA).toEqual({ sameEventRestored: true, nextVersion: 4, timelineIntact: true });
    // The service's consumers took in again the approval event the restore had taken from their inbox.
    expect(report.consumerRecovered).toBe(true);
  }, 300_000);
});
