import { createReadStream } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SPAN_DAYS, loadMoocActions } from '../../lambdas/tabular/mooc-load';
import { itRequiring, MOOC_DATA_DIR, moocData } from '../support/requirements';
import { loadSmall, smallTexts } from '../analysis/mooc/helpers';

const A = 'ACTIONID\tUSERID\tTARGETID\tTIMESTAMP\n0\t0\t0\t0.0\n1\t0\t1\t6.0\n1\t0\t1\t6.0\n';
const F = 'ACTIONID\tFEATURE0\tFEATURE1\tFEATURE2\tFEATURE3\n0\t1\t2\t3\t4\n1\t0.5\t0\t0\t0\n1\t0.5\t0\t0\t0\n';
const L = 'ACTIONID\tLABEL\n0\t0\n1\t0\n1\t1\n';

describe('loadMoocActions', () => {
  it('joins the three files by row position into typed columns', async () => {
    const a = await loadMoocActions({ actions: A, features: F, labels: L });
    expect(a.n).toBe(3);
    expect(Array.from(a.actionId)).toEqual([0, 1, 1]);
    expect(Array.from(a.timestamp)).toEqual([0, 6, 6]);
    expect(Array.from(a.features[0]!)).toEqual([1, 0.5, 0.5]);
    expect(Array.from(a.label)).toEqual([0, 0, 1]);
    expect(a.notes.duplicateActionIds).toEqual({ repeatedIds: 1, extraRows: 1, idsByTimesSeen: { '2': 1 } });
  });

  it('names a compressed file as such instead of quoting its bytes as a header', async () => {
    await expect(loadMoocActions({ actions: [new Uint8Array(gzipSync(A))], features: F, labels: L })).rejects.toThrow(
      'mooc_actions.tsv: row 1: the file is gzip-compressed; upload it decompressed (gunzip)',
    );
  });

  it('says so when lines end with a lone CR, instead of quoting the whole file as its header', async () => {
    await expect(loadMoocActions({ actions: A, features: F, labels: L.replace(/\n/g, '\r') })).rejects.toThrow(
      'mooc_action_labels.tsv: row 1: the lines end with a lone CR (old Mac line endings); save the file with LF or CRLF line endings',
    );
  });

  it('reads byte streams split anywhere, CRLF included', async () => {
    const bytes = new TextEncoder().encode(A.replace(/\n/g, '\r\n'));
    const chunks = [bytes.slice(0, 7), bytes.slice(7, 30), bytes.slice(30)];
    const a = await loadMoocActions({ actions: chunks, features: F, labels: L });
    expect(Array.from(a.targetId)).toEqual([0, 1, 1]);
  });

  it('reports duplicate ACTIONIDs of the fixture as pandas counts them', async () => {
    const a = await loadSmall();
    expect(a.notes.duplicateActionIds).toEqual({ repeatedIds: 2, extraRows: 3, idsByTimesSeen: { '2': 1, '3': 1 } });
  });

  it('rejects different row counts, naming the file the other two agree against', async () => {
    await expect(loadMoocActions({ actions: A, features: F, labels: 'ACTIONID\tLABEL\n0\t0\n1\t0\n' })).rejects.toThrow(
      'mooc_action_labels.tsv: row 4: has 2 data rows but mooc_actions.tsv and mooc_action_features.tsv have 3; the files are joined by row position',
    );
    // The actions file is the one out of line when the other two agree.
    await expect(loadMoocActions({ actions: `${A}2\t0\t1\t9.0\n`, features: F, labels: L })).rejects.toThrow(
      'mooc_actions.tsv: row 5: has 4 data rows but mooc_action_features.tsv and mooc_action_labels.tsv have 3; the files are joined by row position',
    );
    // Three different counts: each file against the actions file.
    await expect(loadMoocActions({ actions: `${A}2\t0\t1\t9.0\n`, features: F, labels: 'ACTIONID\tLABEL\n0\t0\n1\t0\n' })).rejects.toThrow(
      'mooc_action_features.tsv: row 5: has 3 data rows but mooc_actions.tsv has 4; the files are joined by row position',
    );
  });

  it('names the row where a file with a row less falls out of line', async () => {
    const actions = 'ACTIONID\tUSERID\tTARGETID\tTIMESTAMP\n0\t0\t0\t0.0\n1\t0\t1\t6.0\n2\t0\t1\t7.0\n3\t0\t1\t8.0\n';
    const features = 'ACTIONID\tFEATURE0\tFEATURE1\tFEATURE2\tFEATURE3\n0\t1\t2\t3\t4\n2\t0\t0\t0\t0\n3\t0\t0\t0\t0\n';
    const labels = 'ACTIONID\tLABEL\n0\t0\n1\t0\n2\t1\n3\t1\n';
    await expect(loadMoocActions({ actions, features, labels })).rejects.toThrow(
      'mooc_action_features.tsv: row 3: has 3 data rows but mooc_actions.tsv and mooc_action_labels.tsv have 4; the files are joined by row position, and from this row on its ACTIONIDs differ',
    );
  });

  it("refuses a user's action earlier than their previous one, and accepts another user's earlier time", async () => {
    const features = (n: number) => 'ACTIONID\tFEATURE0\tFEATURE1\tFEATURE2\tFEATURE3\n' + Array.from({ length: n }, (_, i) => `${i}\t0\t0\t0\t0\n`).join('');
    const labels = (n: number) => 'ACTIONID\tLABEL\n' + Array.from({ length: n }, (_, i) => `${i}\t0\n`).join('');
    const actions = (rows: [number, number][]) => 'ACTIONID\tUSERID\tTARGETID\tTIMESTAMP\n' + rows.map(([user, time], i) => `${i}\t${user}\t0\t${time}\n`).join('');
    // Users interleaved, each in order: fine (the whole file goes back in time once).
    const fine = await loadMoocActions({ actions: actions([[1, 100], [2, 50], [1, 120]]), features: features(3), labels: labels(3) });
    expect(fine.notes.timestampDecreases).toBe(1);
    await expect(loadMoocActions({ actions: actions([[1, 100], [2, 50], [1, 90]]), features: features(3), labels: labels(3) })).rejects.toThrow(
      "mooc_actions.tsv: row 4: USERID 1's TIMESTAMP 90 is earlier than their action on row 2 (100): the files list each user's actions in time order",
    );
    // A quarantined row is not compared.
    const quarantined = await loadMoocActions({ actions: actions([[1, 100], [1, -5], [1, 120]]), features: features(3), labels: labels(3) }, { rowFaults: 'quarantine' });
    expect(quarantined.n).toBe(2);
  });

  it('refuses files that hold a header and no data rows, as the engagement files are', async () => {
    const header = (text: string) => text.split('\n')[0] + '\n';
    await expect(loadMoocActions({ actions: header(A), features: header(F), labels: header(L) })).rejects.toThrow('mooc_actions.tsv: row 2: the file has a header but no data rows');
  });

  it('refuses data spanning more days than the analysis lays out, naming the far row', async () => {
    const actions = `ACTIONID\tUSERID\tTARGETID\tTIMESTAMP\n0\t0\t0\t0.0\n1\t0\t1\t6.0\n1\t1\t1\t${MAX_SPAN_DAYS * 86400 + 1}\n`;
    await expect(loadMoocActions({ actions, features: F, labels: L })).rejects.toThrow(
      `mooc_actions.tsv: row 4: TIMESTAMP ${MAX_SPAN_DAYS * 86400 + 1} is ${MAX_SPAN_DAYS} days after the earliest action (row 2, TIMESTAMP 0); the analysis counts actions per day and takes at most ${MAX_SPAN_DAYS} days`,
    );
    const within = actions.replace(`${MAX_SPAN_DAYS * 86400 + 1}`, `${MAX_SPAN_DAYS * 86400}`);
    expect((await loadMoocActions({ actions: within, features: F, labels: L })).n).toBe(3);
  });

  it('rejects a mismatched ACTIONID at row k', async () => {
    await expect(loadMoocActions({ actions: A, features: F.replace('\n1\t0.5', '\n2\t0.5'), labels: L })).rejects.toThrow(
      'mooc_action_features.tsv: row 3: ACTIONID 2 does not match ACTIONID 1 of mooc_actions.tsv on the same row; the files are joined by row position',
    );
  });

  it('rejects a wrong header', async () => {
    await expect(loadMoocActions({ actions: A.replace('TARGETID', 'TARGET'), features: F, labels: L })).rejects.toThrow(
      'mooc_actions.tsv: row 1: expected header ACTIONID\\tUSERID\\tTARGETID\\tTIMESTAMP, found ACTIONID\\tUSERID\\tTARGET\\tTIMESTAMP',
    );
  });

  it('rejects a non-numeric TIMESTAMP, USERID or LABEL', async () => {
    await expect(loadMoocActions({ actions: A.replace('6.0', 'six'), features: F, labels: L })).rejects.toThrow(
      "mooc_actions.tsv: row 3: TIMESTAMP is not a number: 'six'",
    );
    await expect(loadMoocActions({ actions: A.replace('1\t0\t1', '1\t-3\t1'), features: F, labels: L })).rejects.toThrow(
      "mooc_actions.tsv: row 3: USERID is not an integer in 0..9007199254740991: '-3'",
    );
    await expect(loadMoocActions({ actions: A, features: F, labels: L.replace('1\t1', '1\t2') })).rejects.toThrow(
      "mooc_action_labels.tsv: row 4: LABEL not in {0,1}: '2'",
    );
  });

  it('rejects a wrong field count and an empty line inside the file', async () => {
    await expect(loadMoocActions({ actions: A.replace('0\t0\t0\t0.0', '0\t0\t0'), features: F, labels: L })).rejects.toThrow(
      'mooc_actions.tsv: row 2: expected 4 fields, found 3',
    );
    await expect(loadMoocActions({ actions: A.replace('0.0\n', '0.0\n\n'), features: F, labels: L })).rejects.toThrow(
      'mooc_actions.tsv: row 3: empty line before the end of the file',
    );
  });

  it('keeps non-numeric feature values as NaN and counts them', async () => {
    const texts = smallTexts();
    const features = texts.features.replace('\n5\t1.0\t1.0', '\n5\tn/a\t1.0').replace('\n6\t0.0\t-0.2\t0.4\t0.0', '\n6\t\t-0.2\t0.4\tx');
    const a = await loadMoocActions({ ...texts, features });
    expect(a.notes.nonNumericFeatureValues).toEqual({ FEATURE0: 2, FEATURE1: 0, FEATURE2: 0, FEATURE3: 1 });
    expect(Number.isNaN(a.features[0]![6]!)).toBe(true);
  });
});

describe('the real act-mooc files', () => {
  // The row counts of the run come from this loader, which ValidateMoocInput runs.
  itRequiring([moocData()], 'load whole: 411,749 actions of 7,047 users, 4,066 positive labels, none quarantined', async () => {
    const file = (name: string) => createReadStream(path.join(MOOC_DATA_DIR, name));
    const actions = await loadMoocActions(
      { actions: file('mooc_actions.tsv'), features: file('mooc_action_features.tsv'), labels: file('mooc_action_labels.tsv') },
      { rowFaults: 'quarantine' },
    );
    // The dataset's README: 411,749 actions, 7,047 users, 4,066 positive labels.
    expect([actions.n, actions.rejected.length]).toEqual([411749, 0]);
    expect(new Set(actions.userId).size).toBe(7047);
    expect(actions.label.reduce((sum, label) => sum + label, 0)).toBe(4066);
  }, 120_000);
});
