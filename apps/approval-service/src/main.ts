import 'reflect-metadata';
import { bootstrapService } from '@conduct/service-runtime';
import { AppModule, SERVICE_NAME } from './app.module';

const WORKFLOW = `Official accounts and pre-approval of content (docs/policy.md: SND-1, SND-2, SND-5).

1. A media team (or authority) registers the official account: POST /official-accounts.
2. An officer asks to publish media showing uniform, vehicles, equipment or offices:
   POST /approvals (send an Idempotency-Key to make retries safe).
3. An approving authority in scope, never the requester, decides: POST /approvals/{id}/grant
   or /reject (send the ETag you read as If-Match; a stale one answers 412).
4. The media team records the publication: POST /approvals/{id}/publications. A publication
   through another or an inactive account, with other media or outside the window is refused
   with 422 naming the clause, and the attempt is recorded.
Unused grants expire after validUntil. Lists: GET /approvals?status=pending (inbox),
GET /approvals?requester=me, GET /official-accounts?unitId=... Tokens: npm run -s token -- --role ...`;

void bootstrapService(AppModule, { name: SERVICE_NAME, docs: { description: WORKFLOW, version: '1' } });
