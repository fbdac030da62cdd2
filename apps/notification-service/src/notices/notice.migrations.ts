import { Migration } from '@conduct/service-runtime';

export const noticeMigrations: Migration[] = [];
