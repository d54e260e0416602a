import { startEmulator } from './bootstrap';
import { optionsFromEnv } from './config';

/** `npm run emulator`: the PowerOffice Go emulator on PORT (default 4010). */
async function main(): Promise<void> {
  const env = optionsFromEnv();
  const emulator = await startEmulator({ ...env, logRequests: env.logRequests });
  for (const clientKey of env.seedClientKeys)
    await emulator.admin.createClient({ clientKey, name: `Dev client ${clientKey.slice(0, 8)}` });
  console.log(
    `PowerOffice Go emulator listening on ${emulator.baseUrl} (API ${emulator.baseUrl}/v2, token ${emulator.baseUrl}/OAuth/Token, admin ${emulator.baseUrl}/_emulator/; rate limit ${env.rateLimit}/s)`,
  );
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error('PowerOffice Go emulator failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
