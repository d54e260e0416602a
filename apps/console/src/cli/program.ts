import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '@lib/platform';
import type { AccountMapping } from '@lib/tenancy';
import type { SetAccountMappingCommand } from '../use-cases/account-mapping';
import { CliContext, openCliContext } from './cli-context';
import {
  bar,
  CliIo,
  describeDeadLetters,
  describeError,
  describeMappingCheck,
  describeOverview,
  describeResync,
  describeTenant,
  describeTenantStatus,
  resyncProgressPrinter,
} from './output';

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  io?: CliIo;
  /** Reads the client key when given as "-" (stdin by default). */
  readSecret?: () => Promise<string>;
  /** Builds the context (tests may share one). */
  open?: (env: NodeJS.ProcessEnv, stderr: (line: string) => void) => Promise<CliContext>;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  interactive: Boolean(process.stderr.isTTY),
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** Whole positive numbers for --z and friends, with the option named in the error. */
function positiveInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new CommanderError(2, 'cli.invalidArgument', `${name} must be a whole number ≥ 1, got "${value}"`);
    return Number(value);
  };
}

/**
 * `npm run cli -- <command>`: the console's use cases from a terminal, talking to the database and
 * services directly. Every command prints what it did, exits 0 when it was done, 1 when it was
 * refused or failed (with the reason), 2 for a usage error; `--help` on each.
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const io = options.io ?? processIo;
  const open = options.open ?? openCliContext;
  const readSecret = options.readSecret ?? readStdin;
  const say = (text: string) => io.out(text.endsWith('\n') ? text : `${text}\n`);
  let context: CliContext | undefined;
  /** Set by a command that ran but did not get what was asked (a mapping with problems, a resend that failed again). */
  let exitCode = 0;
  const ctx = async () => (context ??= await open(env, (line) => io.err(`${line}\n`)));

  const program = new Command('cli')
    .description('Operator commands of the Open One ↔ PowerOffice Go integration (the console without a browser).')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) })
    .showHelpAfterError('(add --help for the options)');

  // ---------------------------------------------------------------- tenant
  const tenant = program.command('tenant').description('Onboard, disable, enable or verify a shop');
  tenant
    .command('add')
    .description('Onboard a shop: the key is checked against PowerOffice at once and stored encrypted')
    .requiredOption('--id <tenantId>', 'tenant id (used in every Kafka key)')
    .requiredOption('--name <name>', "the shop's name")
    .requiredOption('--org <orgNo>', 'organisation number (9 digits)')
    .requiredOption('--client-key <key>', 'client key from the "Open One" extension; "-" reads it from stdin (keeps it out of the shell history)')
    .action(async (o: { id: string; name: string; org: string; clientKey: string }) => {
      const c = await ctx();
      const clientKey = o.clientKey === '-' ? await readSecret() : o.clientKey;
      const t = await c.useCases.onboardTenant.execute(c.caller, { id: o.id, name: o.name, organizationNumber: o.org, clientKey });
      say(`Onboarded ${t.id}: PowerOffice accepted the key (${t.privileges.length} privileges); chart of accounts, VAT codes and number series read.`);
      say(describeTenant(t));
      say(`Next: cli mapping set --tenant ${t.id} --preset ns4102`);
    });
  for (const [name, enabled] of [['disable', false], ['enable', true]] as const) {
    tenant
      .command(name)
      .description(enabled ? 'Enable a tenant again' : "Disable a tenant: its events are held, not posted")
      .requiredOption('--tenant <tenantId>')
      .action(async (o: { tenant: string }) => {
        const c = await ctx();
        const t = await c.useCases.setTenantEnabled.execute(c.caller, o.tenant, enabled);
        say(`${t.id} is now ${t.enabled ? 'enabled' : 'disabled'}.`);
      });
  }
  tenant
    .command('verify')
    .description('Ask PowerOffice again whether the stored key works and has every privilege')
    .requiredOption('--tenant <tenantId>')
    .action(async (o: { tenant: string }) => {
      const c = await ctx();
      const t = await c.useCases.verifyTenant.execute(c.caller, o.tenant);
      say(t.authorised ? `${t.id} is authorised in PowerOffice.` : `${t.id} is NOT authorised: ${t.notAuthorisedReason}`);
    });

  // ---------------------------------------------------------------- mapping
  const mapping = program.command('mapping').description("A tenant's account mapping");
  const mappingSource = async (o: { preset?: string; file?: string }): Promise<Partial<SetAccountMappingCommand>> => {
    if (o.file) {
      const text = await readFile(o.file, 'utf8');
      try {
        return { mapping: JSON.parse(text) as AccountMapping };
      } catch (err) {
        throw new CommanderError(1, 'cli.badFile', `${o.file} is not valid JSON: ${(err as Error).message}`);
      }
    }
    return o.preset ? { preset: o.preset } : {};
  };
  mapping
    .command('set')
    .description("Set the mapping, checked against the tenant's chart of accounts (rejected with every problem)")
    .requiredOption('--tenant <tenantId>')
    .addOption(new Option('--preset <name>', 'a ready-made mapping').choices(['ns4102']).conflicts('file'))
    .addOption(new Option('--file <mapping.json>', 'the mapping as JSON').conflicts('preset'))
    .option('--expected-version <n>', 'refuse if someone saved another version meanwhile', positiveInt('--expected-version'))
    .action(async (o: { tenant: string; preset?: string; file?: string; expectedVersion?: number }) => {
      if (!o.preset && !o.file) throw new CommanderError(2, 'cli.missingOption', 'give --preset ns4102 or --file mapping.json');
      const c = await ctx();
      const record = await c.useCases.setAccountMapping.execute(c.caller, o.tenant, { ...(await mappingSource(o)), expectedVersion: o.expectedVersion });
      say(`Mapping of ${o.tenant} saved as version ${record.version} (${o.preset ? `preset ${o.preset}` : o.file}).`);
    });
  mapping
    .command('check')
    .description('Check the stored mapping (or --file) against the chart of accounts, saving nothing')
    .requiredOption('--tenant <tenantId>')
    .option('--file <mapping.json>', 'check this mapping instead of the stored one')
    .option('--json', 'print the result as JSON')
    .action(async (o: { tenant: string; file?: string; json?: boolean }) => {
      const c = await ctx();
      const check = await c.useCases.checkAccountMapping.execute(o.tenant, await mappingSource(o));
      say(o.json ? JSON.stringify(check, null, 2) : describeMappingCheck(check));
      if (!check.ok) exitCode = 1;
    });
  mapping
    .command('show')
    .description('Print the stored mapping (JSON) with its version')
    .requiredOption('--tenant <tenantId>')
    .action(async (o: { tenant: string }) => {
      const c = await ctx();
      const record = await c.useCases.showAccountMapping.execute(o.tenant);
      io.err(`# ${o.tenant}: version ${record.version}, saved ${record.updatedAt.toISOString()} by ${record.updatedBy}\n`);
      say(JSON.stringify(record.mapping, null, 2));
    });

  // ---------------------------------------------------------------- schedule, invoice mode
  program
    .command('schedule')
    .description('When settlements are posted')
    .command('set')
    .description('After the end of day, or at a local time (Europe/Oslo)')
    .requiredOption('--tenant <tenantId>')
    .addOption(new Option('--after-eod', 'post right after the end of day').conflicts('at'))
    .addOption(new Option('--at <HH:MM>', 'post at this local time').conflicts('afterEod'))
    .action(async (o: { tenant: string; afterEod?: boolean; at?: string }) => {
      if (!o.afterEod && !o.at) throw new CommanderError(2, 'cli.missingOption', 'give --after-eod or --at HH:MM');
      const c = await ctx();
      const t = await c.useCases.setSettlementSchedule.execute(c.caller, o.tenant, o.at ? { mode: 'at', time: o.at } : { mode: 'afterEndOfDay' });
      say(`${t.id}: settlements are posted ${t.settlementSchedule.mode === 'at' ? `at ${t.settlementSchedule.time} (Europe/Oslo)` : 'after the end of day'}.`);
    });
  program
    .command('invoice-mode')
    .description('How invoices reach PowerOffice')
    .command('set')
    .description('voucher (outgoing-invoice vouchers) or sales-order')
    .requiredOption('--tenant <tenantId>')
    .addArgument(new Command().createArgument('<mode>', 'voucher or sales-order').choices(['voucher', 'sales-order']))
    .action(async (mode: string, o: { tenant: string }) => {
      const c = await ctx();
      const t = await c.useCases.setInvoiceMode.execute(c.caller, o.tenant, mode === 'sales-order' ? 'salesOrder' : 'voucher');
      say(`${t.id}: invoices go to PowerOffice as ${t.invoiceMode === 'salesOrder' ? 'sales orders' : 'outgoing-invoice vouchers'}.`);
    });

  // ---------------------------------------------------------------- status
  program
    .command('status')
    .description('Every tenant (failed or missing first), or one tenant in detail')
    .option('--tenant <tenantId>')
    .option('--days <n>', 'business days shown for a tenant (failed, missing and pending always are)', positiveInt('--days'))
    .option('--json', 'print JSON')
    .action(async (o: { tenant?: string; days?: number; json?: boolean }) => {
      const c = await ctx();
      if (o.tenant) {
        const s = await c.useCases.readTenantStatus.execute(o.tenant, { days: o.days });
        say(o.json ? JSON.stringify(s, null, 2) : describeTenantStatus(s));
      } else {
        const s = await c.useCases.readStatusOverview.execute();
        say(o.json ? JSON.stringify(s, null, 2) : describeOverview(s));
      }
    });

  // ---------------------------------------------------------------- settlement, invoice
  const settlement = program.command('settlement').description('Fix a settlement');
  for (const action of ['resend', 'repost'] as const) {
    settlement
      .command(action)
      .description(action === 'resend' ? 'Resend a failed settlement after the fix (rebuilt with the current mapping, posted now)' : 'Repost a day: reverse its voucher and post again')
      .requiredOption('--tenant <tenantId>')
      .requiredOption('--register <registerId>')
      .requiredOption('--z <zNumber>', 'Z number', positiveInt('--z'))
      .action(async (o: { tenant: string; register: string; z: number }) => {
        const c = await ctx();
        const use = action === 'resend' ? c.useCases.resendSettlement : c.useCases.repostSettlement;
        const r = await use.execute(c.caller, { tenantId: o.tenant, registerId: o.register, zNumber: o.z });
        const s = r.status;
        say(
          `${action === 'resend' ? 'Resent' : 'Reposted'} Z ${o.z} of register ${o.register} (${o.tenant}): ` +
            (s ? `${s.state}${s.voucherNo ? `, voucher ${s.voucherNo}` : ''}${s.state === 'failed' && s.errorMessage ? ` — ${s.errorCode}: ${s.errorMessage}` : ''}` : 'done'),
        );
        if (s?.state === 'failed') exitCode = 1;
      });
  }
  program
    .command('invoice')
    .description('Fix an invoice')
    .command('resend')
    .description('Resend a rejected invoice after the fix (its parked event goes back to the invoice flow)')
    .requiredOption('--tenant <tenantId>')
    .requiredOption('--invoice <invoiceId>')
    .action(async (o: { tenant: string; invoice: string }) => {
      const c = await ctx();
      const r = await c.useCases.resendInvoice.execute(c.caller, o.tenant, o.invoice);
      say(`Invoice ${o.invoice} (${o.tenant}) sent again to the invoice flow (${r.redriven.map((l) => l.eventId).join(', ')}).`);
    });

  // ---------------------------------------------------------------- resync
  program
    .command('resync')
    .description("Replay a tenant's events from a time through the flows; only what differs in PowerOffice changes")
    .requiredOption('--tenant <tenantId>')
    .requiredOption('--since <time>', 'ISO 8601, e.g. 2025-03-01T00:00:00+01:00')
    .option('--topics <a,b>', 'consumed topics (e.g. customerChanged,articleChanged); default all', (v: string) => v.split(',').map((t) => t.trim()).filter(Boolean))
    .option('--dry-run', 'show what would change, change nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (o: { tenant: string; since: string; topics?: string[]; dryRun?: boolean; json?: boolean }) => {
      const c = await ctx();
      const report = await c.useCases.resyncTenant.execute(
        c.caller,
        { tenantId: o.tenant, since: o.since, topics: o.topics, dryRun: o.dryRun },
        resyncProgressPrinter(io),
      );
      say(o.json ? JSON.stringify(report, null, 2) : describeResync(report));
      if (report.failed > 0) exitCode = 1;
    });

  // ---------------------------------------------------------------- dead letters
  const dlq = program.command('dlq').description('Parked events (dead letters)');
  dlq
    .command('list')
    .description('Parked events of a consumed topic, with their standing')
    .requiredOption('--topic <topic>', 'e.g. invoicePosted or pos.invoice-posted.v1')
    .option('--tenant <tenantId>')
    .option('--json', 'print JSON')
    .action(async (o: { topic: string; tenant?: string; json?: boolean }) => {
      const c = await ctx();
      const letters = await c.useCases.listDeadLetters.execute({ topic: o.topic, tenantId: o.tenant });
      say(o.json ? JSON.stringify(letters, null, 2) : describeDeadLetters(letters));
    });
  dlq
    .command('redrive')
    .description('Send parked events back to their topic (every parked one, a tenant\'s, or --event-ids)')
    .requiredOption('--topic <topic>')
    .option('--tenant <tenantId>')
    .option('--event-ids <a,b>', 'only these events', (v: string) => v.split(',').map((t) => t.trim()).filter(Boolean))
    .action(async (o: { topic: string; tenant?: string; eventIds?: string[] }) => {
      const c = await ctx();
      const r = await c.useCases.redriveDeadLetters.execute(c.caller, { topic: o.topic, tenantId: o.tenant, eventIds: o.eventIds });
      say(`Redrove ${r.redriven.length} parked event(s) to ${r.topic}${r.tenantId ? ` for ${r.tenantId}` : ''}.`);
      for (const l of r.redriven) say(`  ${l.eventId} ${l.eventType ?? ''} ${l.key ?? ''}`);
      if (r.notRedriven.length) {
        say(`Not parked (unknown, already redriven or resolved): ${r.notRedriven.join(', ')}`);
        exitCode = 1;
      }
    });

  // ---------------------------------------------------------------- SAF-T
  program
    .command('saft')
    .description('SAF-T Cash Register files')
    .command('import')
    .description("Publish a SAF-T Cash Register file's Z-reports for a tenant (importing twice changes nothing)")
    .argument('<file>', 'SAF-T Cash Register XML')
    .requiredOption('--tenant <tenantId>')
    .action(async (file: string, o: { tenant: string }) => {
      const c = await ctx();
      const summary = await c.useCases.importSaftFile.execute(c.caller, { tenantId: o.tenant, file }, (p) => {
        const line = `${bar(p.published, p.total)} Z-reports · register ${p.registerId} Z ${p.zNumber} (${p.businessDate})`;
        if (io.interactive) io.err(`\r${line}\x1b[K${p.published === p.total ? '\n' : ''}`);
        else if (p.published === p.total) io.err(`${line}\n`);
      });
      say(`Imported ${file} for ${o.tenant} (${summary.company.name}): ${summary.published.length} of ${summary.found} Z-report(s) published to ${summary.topic}.`);
      for (const s of summary.skipped) say(`  skipped register ${s.registerId} Z ${s.zNumber} (${s.businessDate}): ${s.reason}`);
      for (const w of summary.warnings) say(`  warning: ${w}`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      if (err.exitCode !== 0 && !['commander.helpDisplayed', 'commander.version'].includes(err.code) && err.code.startsWith('cli.')) io.err(`error: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ConfigError) {
      io.err(`${err.message}\n`);
      return 1;
    }
    io.err(`error: ${describeError(err)}\n`);
    return 1;
  } finally {
    await context?.close().catch((err: Error) => io.err(`warning: closing: ${err.message}\n`));
  }
}
