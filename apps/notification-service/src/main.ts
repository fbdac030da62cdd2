import 'reflect-metadata';
import { bootstrapService } from '@conduct/service-runtime';
import { AppModule, SERVICE_NAME } from './app.module';

void bootstrapService(AppModule, { name: SERVICE_NAME, docs: { description: 'Notices, reminders, escalations and signed webhooks.', version: '1' } });
