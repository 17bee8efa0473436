import { join } from 'node:path';
import closeWithGrace from 'close-with-grace';
import qrcodeTerminal from 'qrcode-terminal';
import { startBot } from './bot-runtime.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDemoWorld } from './demo.ts';
import { createLogger } from './logger.ts';

async function main(argv: string[]): Promise<void> {
  const demo = argv.includes('--demo');
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const world = demo ? createDemoWorld(logger) : undefined;
  const runtime = await startBot({
    // The demo keeps its own queue and session, apart from a real account's.
    config: demo ? { ...config, dataDir: join(config.dataDir, 'demo') } : config,
    logger,
    puppet: world?.puppet,
    onQrCode: printQrCode,
  });
  const stopDemo = world?.play();

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    stopDemo?.();
    await runtime.stop();
  });
}

function printQrCode(qrcode: string): void {
  // Straight to the terminal, not through the logger: a QR code is only useful drawn whole.
  process.stdout.write('\nScan with WeChat to log in the brand account:\n');
  qrcodeTerminal.generate(qrcode, { small: true }, (drawn) => process.stdout.write(`${drawn}\n${qrcode}\n\n`));
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `siyu bot: ${error.message}\n`);
  process.exit(1);
});
