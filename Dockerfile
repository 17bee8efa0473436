FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY shared ./shared
COPY server ./server
COPY scripts ./scripts
USER node
EXPOSE 3000
CMD ["npx", "tsx", "server/src/main.ts"]
