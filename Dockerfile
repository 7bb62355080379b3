FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY --from=build /app/data-demo ./data-demo
USER node
EXPOSE 3000
# The heap cap keeps V8 from growing the heap lazily towards a limit sized on the machine's RAM (README: memory).
CMD ["node", "--max-old-space-size=512", "dist/src/main.js"]
