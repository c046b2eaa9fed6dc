# The public API (AdonisJS). Build context: the repository root.
# Multi-stage: compile with dev dependencies, run with production ones only.
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY ledger-core/package.json ledger-core/
COPY sdk/package.json sdk/
COPY admin/package.json admin/
# Scripts stay off: the `node` dev dependency would fetch a second Node.js.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The SDK, then the console (into public/admin, which `node ace build` copies), then the API.
RUN npm run build -w sdk && npm run build -w admin && node --import=@poppinss/ts-exec ace.js build \
 && npm prune --omit=dev --ignore-scripts \
 && rm -rf .git tests bench sdk/src admin ledger-core/tests ledger-core/bench

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3333 LOG_LEVEL=info
WORKDIR /srv/purse
COPY --from=build --chown=node:node /src ./
USER node
EXPOSE 3333
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3333/health/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations are a separate, explicit step (see docs/operations.md), never run on boot.
CMD ["node", "build/bin/server.js"]
