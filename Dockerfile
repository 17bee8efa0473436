FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY shared ./shared
COPY server ./server
COPY scripts ./scripts
COPY bot ./bot
# The bot keeps its on-disk queue and WeChat session here (a volume in docker-compose.yml).
RUN mkdir -p /data/bot && chown node:node /data/bot
USER node
EXPOSE 3000
CMD ["npx", "tsx", "server/src/main.ts"]
