# One image for every app: docker build --build-arg APP=settlement -t oop-settlement .
# Stage 1 installs and compiles; stage 2 carries production dependencies and dist/ only.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
COPY db ./db
RUN node scripts/build.mjs && npm prune --omit=dev

FROM node:20-bookworm-slim
ARG APP=settlement
ENV NODE_ENV=production APP=${APP} HOST=0.0.0.0
WORKDIR /app
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/package.json ./package.json
USER node
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+(process.env.APP==='poweroffice-emulator'?'/_emulator/stats':'/health')).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
