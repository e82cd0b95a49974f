/**
 * The examples of README.md and docs/*.md, as the docs-examples test runs them. The commands and the
 * output they show are read from the docs themselves (test/cli/docs.test.ts); this list only says, for
 * each command (run at every place the doc has it, in the doc's order), what else the test must know: the exit status when it is not 0, the parts of the output
 * that change from run to run, or why a command is not run here. A command in the docs that is in
 * neither list fails the test, and so does an entry of these lists that is no longer in the docs.
 */

/** How a documented command is run. */
export interface RunExample {
  readonly doc: string;
  /** The command as the doc writes it, without a trailing `# comment`. */
  readonly command: string;
  /** Its exit status (default 0). */
  readonly exit?: number;
  /** Parts of the output that differ from run to run: replaced by `…` in both the doc and the output. */
  readonly volatile?: readonly RegExp[];
  /** The doc wraps one-line JSON for reading: spaces after `{ [ , :` and before `} ]` are not compared. */
  readonly wrapped?: boolean;
}

/** A documented command that this test does not run, and why. */
export interface NotRun {
  readonly doc: string;
  /** Matches the commands it covers. */
  readonly command: RegExp;
  readonly why: string;
}

const TIMING = /\d+(?:\.\d+)? s, \d+ claims\/s/g;

export const RUN: readonly RunExample[] = [
  { doc: 'README.md', command: 'npm run replay:sample', volatile: [TIMING] },
  { doc: 'README.md', command: `node -e 'console.log(JSON.stringify(require("./test/cases/JZ01.json").claim))' > claim.json` },
  { doc: 'README.md', command: 'npx claims generate --count 100 > claims.jsonl' },
  { doc: 'README.md', command: 'npx claims replay docs/examples/corrections.jsonl > corrected.jsonl' },
  { doc: 'README.md', command: 'npx claims settle claim.json' },
  { doc: 'README.md', command: 'npx claims settle - < claim.json' },
  { doc: 'README.md', command: 'npx claims settle --format slip claim.json' },
  { doc: 'README.md', command: 'npx claims settle --format html --registry docs/examples/registry.json claim.json > slip.html' },
  { doc: 'README.md', command: 'npx claims settle --lines claims.jsonl > settlements.jsonl' },
  { doc: 'README.md', command: 'npx claims settle --policies docs/examples/deductible-600 claim.json' },
  { doc: 'README.md', command: 'npx claims policies' },
  { doc: 'README.md', command: 'npx claims --help' },
  { doc: 'README.md', command: `node -e 'console.log(JSON.stringify(require("./test/cases/JZ01.json").claim))' | npx claims settle -` },
  { doc: 'README.md', command: 'npx claims generate --count 2000 --seed 7 > claims.jsonl' },
  { doc: 'README.md', command: 'npx claims replay claims.jsonl > settlements.jsonl' },
  { doc: 'README.md', command: 'npx claims statement --hospital H-140702-class2-county-1 --from 2018-03-01 --to 2018-03-31 --claims claims.jsonl --format csv' },
  {
    doc: 'README.md',
    command: 'npx claims reconcile --hospital H-140702-class2-county-1 --claims claims.jsonl --from 2018-03-01 --to 2018-03-31 docs/examples/theirs-march.csv',
  },
  { doc: 'README.md', command: 'sed -n 2p settlements.jsonl | npx claims export --format nhsa -' },
  { doc: 'README.md', command: 'npx claims whatif claims.jsonl --policies docs/examples/deductible-600 --top 2' },
  { doc: 'README.md', command: 'npx claims whatif claims.jsonl --policies docs/examples/deductible-600 --report whatif.html > /dev/null' },

  { doc: 'docs/command-line.md', command: 'npm run replay:sample', volatile: [TIMING] },
  { doc: 'docs/command-line.md', command: 'npx claims generate --count 100000 > /tmp/claims.jsonl' },

  { doc: 'docs/scale.md', command: 'npx claims generate --count 2000 --seed 7 > claims.jsonl' },
  { doc: 'docs/scale.md', command: 'npx claims partition split claims.jsonl --count 4 --output parts' },
  {
    doc: 'docs/scale.md',
    command: 'for i in 1 2 3 4; do npx claims replay parts/part-000$i-of-0004.jsonl --partition $i/4 --summary summary-$i.json --output settled-$i.jsonl 2> /dev/null; done',
  },
  { doc: 'docs/scale.md', command: 'npx claims summary merge summary-1.json summary-2.json summary-3.json summary-4.json > province.json' },

  { doc: 'docs/province.md', command: 'npx claims generate --count 2000 --seed 7 > claims.jsonl' },
  { doc: 'docs/province.md', command: 'npx claims replay claims.jsonl > settlements.jsonl' },
  { doc: 'docs/province.md', command: 'npx claims statement --hospital H-140702-class2-county-1 --from 2018-03-01 --to 2018-03-31 --claims claims.jsonl --format csv' },
  {
    doc: 'docs/province.md',
    command: 'npx claims reconcile --hospital H-140702-class2-county-1 --claims claims.jsonl --from 2018-03-01 --to 2018-03-31 docs/examples/theirs-march.csv',
  },
  {
    doc: 'docs/province.md',
    command: `npx claims generate --count 10000 --seed 42 | sed -E 's/"hospital":\\{"id":"[^"]*"/"hospital":{"id":"H-140702-0007"/' > claims-10k.jsonl`,
  },
  { doc: 'docs/province.md', command: 'npx claims replay claims-10k.jsonl > settlements-10k.jsonl' },
  { doc: 'docs/province.md', command: 'node docs/examples/make-theirs.mjs claims-10k.jsonl settlements-10k.jsonl > theirs.csv' },
  {
    doc: 'docs/province.md',
    command: '/usr/bin/time -f "%e s, peak RSS %M KB" npx claims reconcile --hospital H-140702-0007 --settlements settlements-10k.jsonl theirs.csv > findings.jsonl',
  },
  { doc: 'docs/province.md', command: 'npx claims export --format nhsa settlements.jsonl > setlinfo.jsonl' },
  { doc: 'docs/province.md', command: 'sed -n 2p settlements.jsonl | npx claims export --format nhsa -', wrapped: true },
  { doc: 'docs/province.md', command: 'npx claims whatif claims.jsonl --policies docs/examples/deductible-600 --top 5' },
  { doc: 'docs/province.md', command: 'npx claims generate --count 100000 --seed 3 > year.jsonl; npx claims whatif year.jsonl --policies docs/examples/deductible-600' },

  { doc: 'docs/policy-overlays.md', command: 'npx claims policies --policies test/fixtures/overlays' },
];

export const NOT_RUN: readonly NotRun[] = [
  { doc: 'docs/national-interface.md', command: /^(npm start|npm run build && node dist\/bench\/national\.js|API=|PAAS_ID=|TS=|SIG=|curl |npx claims catalogue (load|check) FILE)/, why: 'the national gateway on the running local stack (Java, DynamoDB Local, ports); test/national runs the same sequence through it' },
  { doc: 'README.md', command: /^npm ci && npm (test|run replay:sample)$/, why: '`npm ci` reinstalls node_modules (minutes, the registry) and `npm test` is the whole suite; the replay part runs above' },
  { doc: 'README.md', command: /^npm (start|run bench)/, why: 'the local stack (Java, DynamoDB Local, ports) and the benchmarks have their own tests (test/pipeline, test/bench)' },
  { doc: 'README.md', command: /registry load|claims keys |cdk |curl /, why: 'needs a deployed stack or an AWS account' },
  { doc: 'README.md', command: /^npx claims policies --policies DIR$/, why: 'a synopsis: DIR stands for the reader\'s directory' },
  { doc: 'docs/command-line.md', command: /…/, why: 'a synopsis' },
  { doc: 'docs/command-line.md', command: /mixed\.jsonl/, why: 'the reader\'s file with invalid lines: test/cli/person.test.ts runs this case on a pseudo-terminal' },
  { doc: 'docs/claim-contract.md', command: /^npx claims settle (CLAIM\.json|-)$/, why: 'a synopsis: CLAIM.json stands for the reader\'s claim' },
  { doc: 'docs/policy-overlays.md', command: / DIR /, why: 'a synopsis: DIR stands for the reader\'s directory' },
  { doc: 'docs/province.md', command: /^curl /, why: 'needs a deployed or local API with a hospital key; test/province/pipeline.test.ts calls these routes' },
  { doc: 'docs/pipeline.md', command: /./, why: 'the local stack needs Java and ports; test/pipeline runs it' },
  { doc: 'docs/deployment.md', command: /./, why: 'deploys to an AWS account' },
  { doc: 'docs/scale.md', command: /^(git archive|aws |npx claims partition split province-2018\.jsonl)/, why: 'a run on a deployed stack (S3, Step Functions, CodeBuild); test/infra/province-run.test.ts checks the state machine, test/cli/partition.test.ts the commands' },
  { doc: 'docs/benchmarks.md', command: /./, why: '`npm run bench` takes minutes; test/bench checks its arithmetic' },
];
