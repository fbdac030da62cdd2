# syntax=docker/dockerfile:1
# One image for the four Conduct services (docker-compose.yml picks the service with SERVICE).
# The TypeScript sources run directly through @swc-node/register, as with `npm start`, so there
# is no separate build step: the deps stage installs, the runtime stage adds the sources.
#   docker build -t conduct .
#   docker run -e SERVICE=approval-service -e DATABASE_URL=... -e KAFKA_BROKERS=... -e JWT_ISSUER=... -e JWT_JWKS_URL=... -p 3001:3001 conduct
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only (@swc-node/register, @swc/core and typescript are among them).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    KAFKAJS_NO_PARTITIONER_WARNING=1
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
# create-topics.ts and migrate.ts run from this image as one-shot jobs in docker-compose.yml.
COPY scripts ./scripts
COPY config ./config
ARG SERVICE=approval-service
ENV SERVICE=${SERVICE}
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sh", "-c", "exec node -r @swc-node/register apps/${SERVICE}/src/main.ts"]
