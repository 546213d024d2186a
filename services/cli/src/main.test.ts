import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandHelp, main } from './main.js';
import { captureIo } from './test-io.js';

const rootVersion = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function run(...argv: string[]) {
  const io = captureIo('', {});
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('valuepulse', () => {
  it.each(['--version', '-V'])('%s prints the version of the root package.json', async (flag) => {
    expect(rootVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(await run(flag)).toEqual({ code: 0, out: `valuepulse ${rootVersion}\n`, err: '' });
  });

  it('--help lists every command and exits 0; no command at all is a usage error', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.out).toContain(`  ${c.usage}`);
    expect(help.out).toContain('valuepulse --version');
    expect((await run()).code).toBe(2);
  });

  it('an unknown command is a usage error', async () => {
    const { code, err } = await run('bogus');
    expect(code).toBe(2);
    expect(err).toMatch(/^valuepulse: unknown command 'bogus'/);
  });

  it('<command> --help prints the usage and every option, without running the command', async () => {
    const { code, out, err } = await run('topics', '--help');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('usage: valuepulse topics [--file F] [--topic-prefix P] [--fix]');
    expect(out).toMatch(/^ {2}--topic-prefix P {2,}use the topics P<topic> .*alias --prefix$/m);
    expect((await run('health', '-h')).out).toMatch(/^ {2}--key-prefix P {2,}read the Redis keys P…/m);
  });

  it('a --topic-prefix and a --prefix that disagree are a usage error, before anything is contacted', async () => {
    for (const name of ['topics', 'schemas', 'produce', 'consume', 'evaluate']) {
      const args = name === 'produce' || name === 'consume' ? ['--topic', 'usage.events.v1'] : name === 'evaluate' ? ['--labels', 'l.jsonl'] : [];
      const { code, err } = await run(name, ...args, '--topic-prefix', 'a.', '--prefix', 'b.');
      expect(code, name).toBe(2);
      expect(err, name).toContain("--topic-prefix 'a.' and --prefix 'b.' disagree");
    }
  });
});

describe('the commands', () => {
  const flagsOf = (c: (typeof COMMANDS)[number]) => [...`${c.usage} ${Object.keys(c.options ?? {}).join(' ')}`.matchAll(/--[a-z-]+/g)].map((m) => m[0]);

  it('name one concept one way: --topic-prefix for topics, --key-prefix for Redis keys, nothing else ends in -prefix', () => {
    const prefixFlags = new Set(COMMANDS.flatMap(flagsOf).filter((f) => f.endsWith('prefix')));
    expect([...prefixFlags].sort()).toEqual(['--key-prefix', '--topic-prefix']);
  });

  it('document every option of their usage in --help', () => {
    for (const c of COMMANDS.filter((c) => !c.handlesHelp)) {
      const documented = Object.keys(c.options ?? {}).join(' ');
      for (const flag of c.usage.match(/--[a-z-]+/g) ?? []) expect(documented, `${c.name} ${flag}`).toContain(flag);
      expect(commandHelp(c)).toContain(`usage: valuepulse ${c.usage}`);
    }
  });
});
