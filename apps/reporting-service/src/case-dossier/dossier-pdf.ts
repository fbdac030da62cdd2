import PDFDocument from 'pdfkit';
import { summarize } from '../case-timeline/timeline-summary';
import { verifyTimeline } from '../case-timeline/timeline-verification';
import { toVerifiable } from '../case-timeline/case-timeline.handler';
import type { CaseDossier } from './case-dossiers';

/** The standard PDF fonts write Latin-1 only: other characters show as "?" (the zip holds the text exactly). */
const latin1 = (text: string): string => text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');

interface Reported {
  officer?: { serviceNumber?: string; name?: string; rank?: string; unitId?: string };
  jurisdiction?: { province?: string; range?: string; district?: string; unitId?: string };
  platform?: string;
  contentUrl?: string;
  policy?: { packId?: string; version?: number; clauses?: string[] };
}

/**
 * The dossier for a disciplinary board, on paper: a summary of the case, the timeline as a table
 * with each event's hash, each stream's head and chain check, and the SHA-256 of the zip, which
 * ties the pages to the bundle that `conduct-verify` checks (docs/dossier.md).
 */
export async function renderDossierPdf(dossier: CaseDossier, open: <T>(value: T) => Promise<T> = (value) => Promise.resolve(value)): Promise<Buffer> {
  const { input, sha256 } = dossier;
  // The chains are checked on the envelopes as hashed; the pages then show names opened (ADR 21).
  const verification = verifyTimeline(dossier.rows.map(toVerifiable));
  const rows = await open(dossier.rows);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    info: { Title: `Case dossier ${input.caseId}`, Author: 'Conduct', Subject: 'Case dossier', CreationDate: new Date(input.asOf) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(latin1(text), left, doc.y, { width });
  const line = (label: string, value: string) =>
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(`${latin1(label)}: `, left, doc.y, { continued: true, width })
      .font('Helvetica')
      .text(latin1(value));

  doc.font('Helvetica-Bold').fontSize(16).text('Case dossier', { width });
  doc.font('Courier').fontSize(10).text(input.caseId, { width });
  doc.moveDown(0.5);
  line('Record as of', input.asOf);
  line('Policy pack', `${input.policy.packId} version ${input.policy.version}`);
  line('Signed by', `${input.generatedBy}, Ed25519 key ${input.signer.keyId}`);
  line('Dossier (zip) SHA-256', sha256);

  const reported = rows.find((row) => row.stream_id === input.caseId && row.type === 'ViolationReported')?.data as Reported | undefined;
  heading('Summary');
  if (reported) {
    const officer = reported.officer ?? {};
    const place = reported.jurisdiction ?? {};
    line('Officer', [officer.rank, officer.name, officer.serviceNumber && `(${officer.serviceNumber})`].filter(Boolean).join(' '));
    line('Where', [place.province, place.range, place.district, place.unitId].filter(Boolean).join(' / '));
    line('Content', [reported.platform, reported.contentUrl].filter(Boolean).join(': '));
    line('Clauses alleged', (reported.policy?.clauses ?? []).join(', '));
  }
  const caseRows = rows.filter((row) => row.stream_id === input.caseId);
  const last = caseRows[caseRows.length - 1];
  if (last) line('Latest step', `${summarize(last.type, last.data)} (${last.recorded_at.toISOString()})`);

  heading('Streams and their chains');
  for (const stream of input.streams) {
    const head = stream.envelopes[stream.envelopes.length - 1];
    const checked = verification.streams.find((candidate) => candidate.streamId === stream.streamId);
    line(`${stream.streamType} ${stream.streamId}`, `${stream.envelopes.length} events, chain ${checked?.status ?? 'unchecked'}`);
    doc
      .font('Courier')
      .fontSize(7)
      .text(`head v${head?.streamVersion ?? 0} ${head?.hash ?? ''}`, left + 12, doc.y, { width: width - 12 });
    const anchored = stream.anchored;
    doc.text(
      anchored
        ? `v${anchored.streamVersion} in the anchor of ${anchored.anchor.service} at ${anchored.anchor.anchoredAt}, root ${anchored.anchor.root}`
        : 'in no anchor yet',
      left + 12,
      doc.y,
      { width: width - 12 },
    );
  }

  heading('Timeline');
  const columns = [
    { title: '#', width: 18 },
    { title: 'Recorded (UTC)', width: 92 },
    { title: 'Stream, version', width: 70 },
    { title: 'Event', width: 100 },
    { title: 'Actor', width: 70 },
    { title: 'What happened', width: width - 350 },
  ];
  const row = (cells: string[], font: string) => {
    doc.font(font).fontSize(7.5);
    const height = Math.max(...cells.map((cell, index) => doc.heightOfString(latin1(cell), { width: columns[index]!.width - 4 })));
    if (doc.y + height + 12 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y;
    let x = left;
    cells.forEach((cell, index) => {
      doc.text(latin1(cell), x, top, { width: columns[index]!.width - 4 });
      x += columns[index]!.width;
    });
    doc.y = top + height + 1;
  };
  row(
    columns.map((column) => column.title),
    'Helvetica-Bold',
  );
  rows.forEach((event, index) => {
    const actor = (event.actor as { id?: string; role?: string } | null) ?? {};
    row(
      [
        String(index + 1),
        event.recorded_at.toISOString().replace('T', ' ').slice(0, 19),
        `${event.stream_type} v${event.stream_version}`,
        event.type,
        [actor.id, actor.role].filter(Boolean).join(', '),
        summarize(event.type, event.data),
      ],
      'Helvetica',
    );
    doc
      .font('Courier')
      .fontSize(6.5)
      .fillColor('#444444')
      .text(`hash ${event.hash}`, left + 18, doc.y, { width: width - 18 })
      .fillColor('black');
    doc.moveDown(0.3);
  });

  doc
    .moveDown(1)
    .font('Helvetica')
    .fontSize(8)
    .text(
      latin1(
        `These pages render the dossier whose zip has the SHA-256 above. Check the zip itself offline with conduct-verify ` +
          `(npm run -s verify -- dossier.zip): it recomputes every chain and the signature over its manifest.`,
      ),
      left,
      doc.y,
      { width },
    );
  doc.end();
  return finished;
}
