import 'reflect-metadata';
import { bootstrapService } from '@conduct/service-runtime';
import { AppModule, SERVICE_NAME } from './app.module';

void bootstrapService(AppModule, {
  name: SERVICE_NAME,
  docs: { description: 'What headquarters pulls: reports across provinces, ranges, districts and units.', version: '1' },
});
