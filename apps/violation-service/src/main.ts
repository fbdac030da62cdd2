import 'reflect-metadata';
import { bootstrapService } from '@conduct/service-runtime';
import { AppModule, SERVICE_NAME } from './app.module';

void bootstrapService(AppModule, { name: SERVICE_NAME, docs: { description: 'Disciplinary cases from report to closure, with takedown deadlines.', version: '1' } });
