// Runs newsgraph and the peer libraries alternately over the same articles, several times, on one
// core each (pinned with taskset; node single-threaded), and prints the median figures of each and newsgraph's ratios to the peers.
//
//   go build -o bench/newsgraph ./cmd/newsgraph    (the binary to measure)
//   (cd bench/peers && npm ci)                     (the peers, from the lock file)
//   node bench/compare.mjs [--runs 3] [--bin bench/newsgraph] DIR
//
// newsgraph runs `bench --cpus 1 --rounds 1 --json` (its warm-up pass, then one timed pass); each
// peer runs bench/peers/peers.mjs (a warm-up over 200 documents, then one timed pass). Start-up
// (loading the models) is excluded from the rates and reported apart.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let runs = 3;
let bin = join(here, 'newsgraph');
let dir = '';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--bin') bin = args[++i];
  else dir = args[i];
}
if (!dir || !(runs >= 1)) {
  console.error('usage: node bench/compare.mjs [--runs N] [--bin PATH] DIR');
  process.exit(2);
}

// One core each: every tool runs pinned to CPU 0 with taskset where it exists, and node with
// --single-threaded (else V8's garbage collector works on other cores: compromise used about 1.5).
let pin = [];
try {
  execFileSync('taskset', ['-c', '0', 'true']);
  pin = ['taskset', '-c', '0'];
} catch {
  console.error('taskset not available: tools are not pinned to one core (node still runs single-threaded)');
}
const exec = (cmd, argv) => {
  const full = [...pin, cmd, ...argv];
  return JSON.parse(execFileSync(full[0], full.slice(1), { maxBuffer: 1 << 24 }));
};
const peer = (name) => () => exec('node', ['--single-threaded', join(here, 'peers', 'peers.mjs'), name, dir]);
const tools = {
  newsgraph: () => exec(bin, ['bench', '--cpus', '1', '--rounds', '1', '--json', dir]),
  wink: peer('wink'),
  compromise: peer('compromise'),
};
const results = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
for (let r = 1; r <= runs; r++) {
  for (const [name, run] of Object.entries(tools)) {
    const res = run();
    if (!(res.documents > 0)) {
      console.error(`${name} read no documents in ${dir}`);
      process.exit(1);
    }
    if (results.newsgraph.length && res.documents !== results.newsgraph[0].documents) {
      console.error(`warning: ${name} read ${res.documents} documents, newsgraph ${results.newsgraph[0].documents}`);
    }
    results[name].push(res);
    console.error(`run ${r}/${runs} ${name}: ${res.docs_per_s.toFixed(0)} documents/s`);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const row = (name) => {
  const rs = results[name];
  const last = rs[rs.length - 1];
  return {
    name,
    version: last.version ?? last.pipeline?.join(' '),
    documents: last.documents,
    docs_per_s: median(rs.map((x) => x.docs_per_s_per_cpu)),
    tokens_per_s: median(rs.map((x) => x.tokens_per_s_per_cpu ?? x.tokens_per_s)),
    mb_per_s: median(rs.map((x) => x.mb_per_s_per_cpu ?? x.mb_per_s)),
    startup_s: median(rs.map((x) => x.startup_s)),
    peak_rss_mb: median(rs.map((x) => x.peak_rss_mb)),
    does: last.does ?? 'clean-up, tokens, sentences, entities (people, organisations, places, outlets, clusters), temporal expressions normalized, attributions with speakers and source chains',
    does_not: last.does_not ?? '',
  };
};
console.log(`median of ${runs} runs, one core each, ${dir}\n`);
console.log('tool        documents/s  tokens/s   MB/s   start-up  peak RSS');
const ng = row('newsgraph');
for (const name of Object.keys(tools)) {
  const x = row(name);
  console.log(`${name.padEnd(11)} ${x.docs_per_s.toFixed(0).padStart(11)} ${x.tokens_per_s.toFixed(0).padStart(9)} ${x.mb_per_s.toFixed(2).padStart(6)} ${x.startup_s.toFixed(2).padStart(8)} s ${x.peak_rss_mb.toFixed(0).padStart(5)} MB`);
}
console.log('');
for (const name of Object.keys(tools)) {
  const x = row(name);
  console.log(`${name}: ${x.version}\n  does: ${x.does}${x.does_not ? '\n  does not: ' + x.does_not : ''}`);
  if (name !== 'newsgraph') console.log(`  newsgraph / ${name}: ${(ng.docs_per_s / x.docs_per_s).toFixed(2)}× the documents per second per core`);
}
