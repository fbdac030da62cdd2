# syntax=docker/dockerfile:1
# One image for the four Conduct services and the console (docker-compose.yml picks one with SERVICE).
# It runs compiled JavaScript (docs/adr/0013-compiled-runtime.md): the build stage compiles the
# sources to dist/ with `npm run build`; the runtime stage holds dist/, the production
# dependencies and config/, and no TypeScript or transpiler.
#   docker build -t conduct .
#   docker run -e SERVICE=approval-service -e DATABASE_URL=... -e KAFKA_BROKERS=... -e JWT_ISSUER=... -e JWT_JWKS_URL=... -p 3001:3001 conduct
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
COPY scripts ./scripts
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    KAFKAJS_NO_PARTITIONER_WARNING=1
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
# dist/scripts/infra/create-topics.js and dist/scripts/migrate.js run from this image as one-shot
# jobs in docker-compose.yml.
COPY --from=build /app/dist ./dist
COPY config ./config
ARG SERVICE=approval-service
ENV SERVICE=${SERVICE}
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sh", "-c", "exec node dist/apps/${SERVICE}/src/main.js"]
