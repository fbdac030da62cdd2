import { ConsumerDefinition } from '@conduct/service-runtime';

export const noticeConsumers: ConsumerDefinition[] = [];
