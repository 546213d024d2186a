# One image for every valuepulse process; the command picks which:
#
#   docker build -t valuepulse:0.1.0 .
#   docker run valuepulse:0.1.0 run health-scorer      (the default command)
#   docker run valuepulse:0.1.0 run history-sink
#   docker run valuepulse:0.1.0 run ingest-gateway
#   docker run valuepulse:0.1.0 run health-api
#   docker run valuepulse:0.1.0 run alert-notifier
#   docker run valuepulse:0.1.0 topics | schemas | migrate | simulate …
#
# No container engine runs where valuepulse is developed, so this file is never
# built by CI: it is kept small, and deploy/deploy-manifests.test.ts checks its
# stages, base image, user and entry point. The same steps, run by hand on the
# host into a scratch folder, started the scorer and the sink against the local
# stack (docs/deploying.md).

# --- build: every workspace package compiled with the dev dependencies --------
FROM node:20-slim AS build
WORKDIR /src
# .dockerignore lets in only what the build reads (an allowlist).
COPY . .
# --ignore-scripts: no production dependency needs an install script, and the
# root `prepare` would only run the build of the next step a second time.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm run build
# /out: each package's package.json and dist/, the CLI's launcher, the topic
# declaration, the ClickHouse migrations the init commands apply, the
# health-api's dashboard files (services/health-api/public), and
# deploy/local/stack.sh, by which the CLI recognises the repository root (it
# finds topics.json, schemas/clickhouse and services/<name>/dist/main.js from
# there). libs/testkit is for tests only: no service depends on it.
RUN mkdir /out \
 && cp --parents package.json package-lock.json deploy/topics.json deploy/local/stack.sh services/cli/bin/valuepulse.mjs /out/ \
 && cp -r --parents schemas/clickhouse services/health-api/public /out/ \
 && for pkg in libs/* services/*; do \
      if [ "$pkg" != libs/testkit ]; then cp -r --parents "$pkg/package.json" "$pkg/dist" /out/; fi; \
    done \
 && find /out -name '*.tsbuildinfo' -delete \
 && cd /out && npm ci --omit=dev --no-audit --no-fund --ignore-scripts

# --- runtime: production dependencies and compiled code only ------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out/ /app/
RUN ln -s /app/services/cli/bin/valuepulse.mjs /usr/local/bin/valuepulse
# the `node` user (uid 1000) of the base image; the code stays owned by root, read-only to it
USER node
# the ops ports (/healthz, /readyz, /metrics): health-scorer 9464, history-sink 9465,
# ingest-gateway 9466, health-api 9467, alert-notifier 9468 (HTTP_PORT); the ingest-gateway's API
# 8090 (GATEWAY_PORT); the health-api's API and dashboard 8091 (HEALTH_API_PORT)
EXPOSE 9464 9465 9466 9467 9468 8090 8091
ENTRYPOINT ["valuepulse"]
CMD ["run", "health-scorer"]
