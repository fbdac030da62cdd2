import 'reflect-metadata';
import { bootstrapService } from '@conduct/service-runtime';
import { AppModule, SERVICE_NAME } from './app.module';

void bootstrapService(AppModule, {
  name: SERVICE_NAME,
  docs: { description: 'Official accounts and pre-approval of content (SND-1, SND-2, SND-5).', version: '1' },
});
