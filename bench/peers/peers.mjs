// Runs one peer library over a folder of articles (every .txt file below it, as newsgraph bench
// reads them) doing its closest equivalent of newsgraph's work, and prints one JSON object with
// the same figures as `newsgraph bench --json`: documents, bytes, tokens, seconds of the timed pass
// (after a warm-up pass over the first 200 documents), the rates, the start-up time (loading the
// library and its model) and the peak resident memory. JavaScript runs on one thread, but V8's
// garbage collector uses other cores unless node runs with --single-threaded, as
// bench/compare.mjs runs it (with taskset -c 0).
//
//   node --single-threaded bench/peers/peers.mjs wink|compromise DIR
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const pkgVersion = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;

function texts(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.txt')) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

// Each peer: how to load it, what it runs on one document (returning its token count), and what
// it does and does not do, said plainly.
const peers = {
  wink: {
    version: () => pkgVersion('wink-nlp') + ' + wink-eng-lite-web-model ' + pkgVersion('wink-eng-lite-web-model'),
    does: 'tokens, sentences, part-of-speech tags, and the entities of its light model (dates, times, numbers, money, e-mail, URLs, hashtags, …)',
    doesNot: 'no people, organisations or places (the light model has none), no quotations or speakers, no attribution, no normalized dates',
    load: async () => {
      const winkNLP = require('wink-nlp');
      const model = require('wink-eng-lite-web-model');
      const nlp = winkNLP(model);
      const its = nlp.its;
      return (text) => {
        const doc = nlp.readDoc(text);
        doc.sentences().out();
        doc.entities().out(its.detail);
        doc.tokens().out(its.pos);
        return doc.tokens().length();
      };
    },
  },
  compromise: {
    version: () => pkgVersion('compromise') + ' + compromise-dates ' + pkgVersion('compromise-dates'),
    does: 'sentences, terms, people, places, organisations, quotations, and dates parsed to ranges',
    doesNot: 'quotations have no speakers, no attribution or sources, no outlets; rule-based tagging',
    load: async () => {
      const nlp = (await import('compromise')).default;
      const dates = (await import('compromise-dates')).default;
      nlp.plugin(dates);
      return (text) => {
        const doc = nlp(text);
        doc.sentences().out('array');
        doc.people().out('array');
        doc.places().out('array');
        doc.organizations().out('array');
        doc.quotations().out('array');
        try {
          doc.dates().get();
        } catch {
          failures++; // compromise-dates throws on some dates in real news (spacetime's isValid)
        }
        return doc.terms().length;
      };
    },
  },
};

let failures = 0; // documents on which a peer threw an error (their other work is still counted)
const [name, dir] = process.argv.slice(2);
const peer = peers[name];
if (!peer || !dir) {
  console.error('usage: node bench/peers/peers.mjs wink|compromise DIR');
  process.exit(2);
}
const docs = texts(dir);
if (docs.length === 0) {
  console.error(`no .txt files under ${dir}`);
  process.exit(1);
}
const bytes = docs.reduce((n, t) => n + Buffer.byteLength(t), 0);
let t0 = process.hrtime.bigint();
const run = await peer.load();
run('Warm the model up.');
const startup = Number(process.hrtime.bigint() - t0) / 1e9;
for (const t of docs.slice(0, 200)) run(t); // warm-up
failures = 0;
let tokens = 0;
t0 = process.hrtime.bigint();
for (const t of docs) tokens += run(t);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({
  name,
  version: peer.version(),
  does: peer.does,
  does_not: peer.doesNot,
  cpus: 1,
  documents: docs.length,
  bytes,
  tokens,
  seconds,
  docs_per_s: docs.length / seconds,
  tokens_per_s: tokens / seconds,
  mb_per_s: bytes / 1e6 / seconds,
  docs_per_s_per_cpu: docs.length / seconds,
  startup_s: startup,
  failures,
  peak_rss_mb: process.resourceUsage().maxRSS * 1024 / 1e6,
}, null, 2));
