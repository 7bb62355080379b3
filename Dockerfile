# Build: compile TypeScript, then keep production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# Run: code owned by root (read-only for the service), data directory owned by the `node` user.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY --from=build /app/data-demo ./data-demo
# The report page (GET /report): its HTML, script and style; Chart.js comes from node_modules.
COPY --from=build /app/public ./public
# The embedded PGlite database (used when DATABASE_URL is unset) lives under DATA_DIR.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
# Liveness (the process serves HTTP); compose's own healthcheck asks /health/ready.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap cap keeps V8 from growing the heap lazily towards a limit sized on the machine's RAM (README: memory).
CMD ["node", "--max-old-space-size=512", "dist/src/main.js"]

