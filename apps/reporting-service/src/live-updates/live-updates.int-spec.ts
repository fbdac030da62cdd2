import { Producer } from 'kafkajs';
import { Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { caseTimelineScenario } from '../testing/case-timeline-events';
import { publish } from '../testing/published-events';

// A fresh generation first reads the shared topics' whole history.
jest.setTimeout(240_000);

/** An open GET /live: what it has received so far, as text. */
interface OpenStream {
  status: number;
  text(): string;
  close(): void;
  /** Resolves when the service ended the stream (or it was closed here). */
  ended: Promise<void>;
}

let service: TestService;
let producer: Producer;
let base: string;

beforeAll(async () => {
  service = await startTestService(AppModule, SERVICE_NAME);
  // A real socket: Server-Sent Events stream, which supertest's buffered answers cannot show.
  await service.app.listen(0, '127.0.0.1');
  base = await service.app.getUrl();
  producer = testKafka('reporting-live-test').producer();
  await producer.connect();
}, SERVICE_START_TIMEOUT_MS);

afterAll(async () => {
  await producer?.disconnect();
  await closeService();
});

let closed = false;
const closeService = async () => {
  if (closed || !service) return;
  closed = true;
  await service.close();
};

async function openLive(roles: Parameters<TestService['token']>[0]['roles'], scope: Record<string, string>): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${base}/live`, {
    headers: { authorization: `Bearer ${service.token({ subject: 'live-reader', roles, scope })}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  let received = '';
  const ended = (async () => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) received += decoder.decode(chunk as Uint8Array, { stream: true });
    } catch {
      // aborted at close()
    }
  })();
  return { status: response.status, text: () => received, close: () => controller.abort(), ended };
}

it('streams each case applied to the read models to the readers whose scope covers it, and no one else', async () => {
  const sindh = await openLive(['HQ_ANALYST'], { province: 'sindh' });
  const punjab = await openLive(['HQ_ANALYST'], { province: 'punjab' });
  try {
    expect(sindh.status).toBe(200);
    const scenario = caseTimelineScenario(); // a case in Karachi South, Sindh
    await publish(producer, Topics.cases, scenario.caseEnvelopes);

    await eventually(() => sindh.text().includes(`"id":"${scenario.caseId}"`), {
      timeoutMs: 180_000,
      intervalMs: 200,
      what: 'the case on the Sindh stream',
    });
    expect(sindh.text()).toMatch(new RegExp(`event: change\nid: \\d+\ndata: \\{"kind":"case","id":"${scenario.caseId}"\\}`));
    // The Punjab reader heard nothing of it, though every change passed through the same listener.
    expect(punjab.text()).not.toContain(scenario.caseId);
  } finally {
    sindh.close();
    punjab.close();
  }
});

it('refuses roles that read no reports or timelines', async () => {
  const officer = await openLive(['OFFICER'], { province: 'sindh' });
  officer.close();
  expect(officer.status).toBe(403);
});

it('ends the open streams when the service shuts down, so that it can stop', async () => {
  const open = await openLive(['ADMIN'], {});
  expect(open.status).toBe(200);
  await closeService();
  await expect(
    Promise.race([open.ended.then(() => 'ended'), new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000))]),
  ).resolves.toBe('ended');
});
