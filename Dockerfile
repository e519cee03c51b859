# syntax=docker/dockerfile:1
# Store Platform control plane image: the REST API, the provisioning engine and the CLI.
#   docker build -t store-platform:dev .
# Both stages use the same Debian Node base: better-sqlite3 is a native addon, and the binary built in the
# first stage must load in the second. The base is pinned by tag and digest (constructs/images.ts says why).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:1e85773c98c31d4fe5b545e4cb17379e617b348832fb3738b22a08f68dec30f3

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# A compiler toolchain, only used when no prebuilt better-sqlite3 binary matches this platform.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json vite.config.ts ./
COPY bin ./bin
COPY scripts ./scripts
COPY imports ./imports
COPY constructs ./constructs
COPY src ./src
# tsc does not copy the SQL migrations; they must sit next to the compiled database client
RUN npm run build \
 && mkdir -p dist/src/db \
 && rm -rf dist/src/db/migrations \
 && cp -r src/db/migrations dist/src/db/migrations \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
# tini is PID 1: it forwards SIGTERM (the engine drains its queue on it) and reaps zombies
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
# `store-platform keys create ...` works in `kubectl exec`; /data is the only writable path besides /tmp
RUN printf '#!/bin/sh\nexec node /app/bin/store-platform.js "$@"\n' > /usr/local/bin/store-platform \
 && chmod 0755 /usr/local/bin/store-platform \
 && mkdir -p /data \
 && chown node:node /data
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_PATH=/data/platform.db
# the node user of the base image (uid 1000, gid 1000), matching the Helm chart's securityContext
USER 1000:1000
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# a smaller young generation keeps RSS under 200 MB at no throughput cost (test/bench: 231 -> 205 MiB
# peak at 4 MiB; the list endpoint served 743 vs 711 req/s)
CMD ["node", "--max-semi-space-size=4", "dist/src/main.js"]
