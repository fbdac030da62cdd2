import 'reflect-metadata';
import { bootstrapService } from '@conduct/service-runtime';
import { AppModule, SERVICE_NAME } from './app.module';

const WORKFLOW = `Disciplinary cases from report to closure, with takedown deadlines (docs/policy.md).

1. Internal affairs or a supervisor reports a violation: POST /cases (send an Idempotency-Key to
   make retries safe). The pack in force in the province at observedAt judges the case for good;
   a clause that does not apply to the conduct answers 422 naming it.
2. Investigation: POST /cases/{id}/investigator, /evidence, /notes. Takedown (SND-6):
   POST /cases/{id}/takedown-notices, then /takedown-notices/{noticeId}/removal.
3. Decisions: /findings (the assigned investigator), /sanctions, /appeals (the officer concerned),
   /appeals/{appealId}/decision, /close, /reopen (the disciplinary authority).
Every transition answers the new version as ETag: send it as If-Match, a stale one answers 412.
Reads: GET /cases/{id} (?asOf= for the case as it was), /events (the full trail with actors and
hashes), /verification (the hash chain recomputed). Out of your scope a case answers 404.`;

void bootstrapService(AppModule, { name: SERVICE_NAME, docs: { description: WORKFLOW, version: '1' } });
