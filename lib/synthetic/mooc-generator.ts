// Seeded synthetic MOOC action logs in the SNAP act-mooc layout (MOOC_TABLES). Each user is a small
// state machine (sessions of quick actions separated by long breaks, a walk through the course's
// targets); a binary heap of users keyed by their next action's second merges them into global time
// order. Memory is a few typed arrays per user, never per action.
import { MOOC_TABLES } from '../../lambdas/contracts/tables';
import { cumulativeWeights, Random, zipfWeights } from '../../lambdas/analysis/random';
import { flushAll, flushFull, TableBuffer, type GeneratedTables, type OpenSink } from './table-sink';

export interface MoocGeneratorOptions {
  /** Number of users; about 60 actions each on average. */
  users: number;
  seed: number;
  /** Number of course targets (default 97, as in the real data). */
  targets?: number;
}

/** The data covers 30 days of whole seconds. */
export const MOOC_DURATION_SECONDS = 30 * 86_400;
export const DEFAULT_MOOC_TARGETS = 97;

const DROPOUT_SHARE = 0.57;
const MIN_ACTIONS = 5; // the real data only keeps users with at least 5 actions
const MEAN_SESSION_ACTIONS = 8;
const SAME_SECOND_CHANCE = 0.035;
const MEAN_START_SECONDS = 7 * 86_400;

export async function generateMoocTables(options: MoocGeneratorOptions, openSink: OpenSink): Promise<GeneratedTables> {
  const { users, seed } = options;
  const targets = options.targets ?? DEFAULT_MOOC_TARGETS;
  if (!Number.isSafeInteger(users) || users < 1 || users > 50_000_000) throw new RangeError(`users must be an integer in 1..50,000,000, got ${users}`);
  if (!Number.isSafeInteger(targets) || targets < 2 || targets > 32_000) throw new RangeError(`targets must be an integer in 2..32,000, got ${targets}`);

  const [actionsTable, featuresTable, labelsTable] = MOOC_TABLES;
  const actions = new TableBuffer(actionsTable, openSink(actionsTable));
  const features = new TableBuffer(featuresTable, openSink(featuresTable));
  const labels = new TableBuffer(labelsTable, openSink(labelsTable));
  const buffers = [actions, features, labels];

  const random = new Random(seed, 2);
  const course = new CourseMap(targets, random);
  const state = new UserStates(users, random, course);
  const queue = new UserQueue(state.nextTime);
  for (let user = 0; user < users; user++) queue.push(user);

  // Rows of one user within one second share an ACTIONID: the row index of the group's last row.
  const group: { user: number; time: number; rows: string[][] } = { user: -1, time: -1, rows: [] };
  let rowIndex = 0;
  const flushGroup = (): void => {
    const id = rowIndex - 1;
    for (const [action, feature, label] of group.rows) {
      actions.push(`${id}\t${action}`);
      features.push(`${id}\t${feature}`);
      labels.push(`${id}\t${label}`);
    }
    group.rows.length = 0;
  };

  let emitted = 0;
  while (queue.size > 0) {
    const user = queue.peek();
    const time = state.nextTime[user]!;
    if (user !== group.user || time !== group.time) {
      flushGroup();
      group.user = user;
      group.time = time;
    }
    const isLast = state.remaining[user] === 1;
    const droppedOut = isLast && state.dropout[user] === 1;
    group.rows.push([`${user}\t${state.target[user]}\t${time}.0\n`, `${featureText(state.dropout[user] === 1, droppedOut, random)}\n`, droppedOut ? '1\n' : '0\n']);
    rowIndex += 1;
    if (isLast) queue.pop();
    else {
      state.advance(user, random, course);
      queue.updateTop();
    }
    if ((++emitted & 1023) === 0) await flushFull(buffers);
  }
  flushGroup();
  return flushAll(buffers);
}

/** Target popularity (Zipf over a seeded shuffle) and the typical order a learner goes through them. */
class CourseMap {
  readonly popularity: Float64Array;
  /** The target usually visited after each one. */
  readonly following: Int32Array;
  readonly entryTargets: Float64Array;

  constructor(
    readonly count: number,
    random: Random,
  ) {
    const ranks = Array.from({ length: count }, (_, index) => index);
    for (let i = count - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [ranks[i], ranks[j]] = [ranks[j]!, ranks[i]!];
    }
    const weights = zipfWeights(count, 1.0);
    // Early targets of the course are seen by more learners: blend rank popularity with position.
    this.popularity = cumulativeWeights(ranks.map((rank, target) => weights[rank]! * (1 + 3 * Math.exp(-target / 15))));
    this.following = Int32Array.from({ length: count }, (_, target) => (target + 1 < count ? target + 1 : random.int(Math.min(10, count))));
    this.entryTargets = cumulativeWeights(Array.from({ length: count }, (_, target) => Math.exp(-target / 3)));
  }
}

/** Per-user state as columns (struct of arrays): a few dozen bytes per user. */
class UserStates {
  readonly nextTime: Int32Array;
  readonly endTime: Int32Array;
  readonly remaining: Int32Array;
  readonly sessionLeft: Int32Array;
  readonly target: Int32Array;
  readonly dropout: Uint8Array;

  constructor(users: number, random: Random, course: CourseMap) {
    this.nextTime = new Int32Array(users);
    this.endTime = new Int32Array(users);
    this.remaining = new Int32Array(users);
    this.sessionLeft = new Int32Array(users);
    this.target = new Int32Array(users);
    this.dropout = new Uint8Array(users);
    const lastStart = 0.9 * MOOC_DURATION_SECONDS;
    const startMass = 1 - Math.exp(-lastStart / MEAN_START_SECONDS);
    for (let user = 0; user < users; user++) {
      // Stratified inverse CDF of a truncated exponential: start times rise with the user id, so
      // ids are numbered in order of first action, as in the real data.
      const p = ((user + random.next()) / users) * startMass;
      const start = Math.floor(-MEAN_START_SECONDS * Math.log(1 - p));
      const dropout = random.chance(DROPOUT_SHARE);
      const left = MOOC_DURATION_SECONDS - 1 - start;
      let actions: number;
      let end: number;
      if (dropout) {
        // Drop-outs are less active and stop early in their remaining time.
        actions = MIN_ACTIONS + Math.min(400, Math.floor(random.lognormal(Math.log(13), 1.0)));
        end = start + Math.floor(left * Math.pow(random.next(), 1.5));
      } else {
        actions = MIN_ACTIONS + Math.min(600, Math.floor(random.lognormal(Math.log(75), 0.8)));
        end = Math.max(start, MOOC_DURATION_SECONDS - 1 - Math.floor(random.exponential(2 * 86_400)));
      }
      this.nextTime[user] = start;
      this.endTime[user] = end;
      this.remaining[user] = actions;
      this.sessionLeft[user] = this.sessionSize(random);
      this.target[user] = random.chance(0.5) ? 0 : random.weighted(course.entryTargets);
      this.dropout[user] = dropout ? 1 : 0;
    }
  }

  /** After an action: one fewer left, the next target and the second of the next action. */
  advance(user: number, random: Random, course: CourseMap): void {
    this.remaining[user]! -= 1;
    const now = this.nextTime[user]!;
    let next: number;
    if (this.sessionLeft[user]! > 1) {
      this.sessionLeft[user]! -= 1;
      next = now + (random.chance(SAME_SECOND_CHANCE) ? 0 : 1 + Math.floor(random.lognormal(Math.log(22), 1.6)));
    } else {
      // A break: spread the remaining sessions over the time the user has left.
      this.sessionLeft[user] = this.sessionSize(random);
      const sessionsLeft = Math.max(1, Math.ceil(this.remaining[user]! / MEAN_SESSION_ACTIONS));
      const room = Math.max(0, this.endTime[user]! - now);
      next = now + 60 + Math.floor((2 * random.next() * room) / sessionsLeft);
    }
    if (next >= MOOC_DURATION_SECONDS) {
      // The data ends: this user's next action is their last, on the final second.
      next = MOOC_DURATION_SECONDS - 1;
      this.remaining[user] = 1;
    }
    this.nextTime[user] = next;
    const current = this.target[user]!;
    const step = random.next();
    if (step < 0.45) this.target[user] = course.following[current]!;
    else if (step < 0.6) this.target[user] = current > 0 ? current - 1 : current;
    else this.target[user] = random.weighted(course.popularity);
  }

  private sessionSize(random: Random): number {
    return 1 + random.geometric(1 / MEAN_SESSION_ACTIONS);
  }
}

/** Binary min-heap of user ids ordered by (next action second, user id). */
class UserQueue {
  private readonly heap: Int32Array;
  size = 0;

  constructor(private readonly time: Int32Array) {
    this.heap = new Int32Array(time.length);
  }

  peek(): number {
    return this.heap[0]!;
  }

  push(user: number): void {
    let index = this.size++;
    this.heap[index] = user;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(this.heap[index]!, this.heap[parent]!)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): void {
    this.size -= 1;
    this.heap[0] = this.heap[this.size]!;
    this.updateTop();
  }

  /** Restores order after the top user's time grew. */
  updateTop(): void {
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= this.size) return;
      const right = left + 1;
      const child = right < this.size && this.before(this.heap[right]!, this.heap[left]!) ? right : left;
      if (!this.before(this.heap[child]!, this.heap[index]!)) return;
      this.swap(index, child);
      index = child;
    }
  }

  private before(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    return ta < tb || (ta === tb && a < b);
  }

  private swap(i: number, j: number): void {
    const held = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = held;
  }
}

// Features are standardized small counts, like the real data's: most actions sit at one value,
// a long right tail. Drop-outs' actions, above all their last one, lean on FEATURE1 and away from
// FEATURE0 and FEATURE2, so the features carry some signal about drop-out.
const FEATURE_MEAN = [0.285, 0.17, 0.86, 0.25];
const FEATURE_SD = [0.95, 0.39, 0.83, 1.4];
const featureTextCache: string[][] = FEATURE_MEAN.map(() => []);

function featureValue(feature: number, raw: number): string {
  const cache = featureTextCache[feature]!;
  let text = cache[raw];
  if (text === undefined) {
    text = String((raw - FEATURE_MEAN[feature]!) / FEATURE_SD[feature]!);
    if (raw < 4096) cache[raw] = text;
  }
  return text;
}

function featureText(dropout: boolean, lastOfDropout: boolean, random: Random): string {
  const raw0 = random.chance(dropout ? 0.09 : 0.14) ? 1 + random.geometric(0.45) : 0;
  const raw1 = random.chance(lastOfDropout ? 0.5 : dropout ? 0.2 : 0.15) ? (random.chance(0.01) ? 2 + random.geometric(0.5) : 1) : 0;
  const raw2 = random.chance(lastOfDropout ? 0.55 : 0.28) ? 0 : random.chance(0.9) ? 1 : 2 + random.geometric(0.5);
  const raw3 = random.chance(0.065) ? 1 + Math.floor(random.lognormal(Math.log(2), 1.0)) : 0;
  return `${featureValue(0, raw0)}\t${featureValue(1, raw1)}\t${featureValue(2, raw2)}\t${featureValue(3, raw3)}`;
}
