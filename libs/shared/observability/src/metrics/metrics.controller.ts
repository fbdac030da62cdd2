import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { register } from 'prom-client';
import { Public } from '@conduct/auth';
import { BaseServiceConfig } from '@conduct/config';

/** Prometheus scrape endpoint: the default registry, where every library registers its metrics. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly config: BaseServiceConfig) {}

  @Get()
  @Header('Content-Type', register.contentType)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    // With METRICS_PORT the metrics live on that port only (MetricsServer).
    if (this.config.METRICS_PORT !== undefined) throw new NotFoundException('Cannot GET /metrics');
    return register.metrics();
  }
}
