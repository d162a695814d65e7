/**
 * A local Durable Functions host: it plays the part of the Durable Task
 * extension (history, scheduling, retries, timers) and leaves every decision
 * to durable-functions' own replay engine (`createOrchestrator` and
 * `DurableOrchestrationInput` from its testingUtils, pinned to 3.5.0 in
 * package.json and covered by test/integration/durableRunner.test.ts).
 *
 * One completion event is appended per turn, then the orchestrator replays
 * the whole history, as in Azure. Task ids mirror the engine's sequence
 * numbers: each new action takes the next id; a failed attempt of a task with
 * retry options takes one id for its retry timer, and the timer firing takes
 * one for the rescheduled attempt (RetryableTask in the engine).
 *
 * State lives in memory: local mode rebuilds from the results container and
 * restarts unfinished analyses at start-up (functions/local/watcher.ts).
 */
import { InvocationContext } from '@azure/functions';
import { DummyOrchestrationContext } from 'durable-functions';
import type { ActivityFn, OrchestratorFn } from '../common/registry';
import { getActivity, getOrchestrator } from '../common/registry';
import { ConflictError, NotFoundError } from '../../shared/errors';

/* eslint-disable @typescript-eslint/no-require-imports -- untyped internals of durable-functions */
const testing = require('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator: (fn: OrchestratorFn) => (trigger: unknown, context: InvocationContext) => Promise<EngineState>;
  DurableOrchestrationInput: new (instanceId: string, history: unknown[], input: unknown) => unknown;
};
const history = {
  OrchestratorStarted: require('durable-functions/lib/src/history/OrchestratorStartedEvent').OrchestratorStartedEvent,
  ExecutionStarted: require('durable-functions/lib/src/history/ExecutionStartedEvent').ExecutionStartedEvent,
  TaskScheduled: require('durable-functions/lib/src/history/TaskScheduledEvent').TaskScheduledEvent,
  TaskCompleted: require('durable-functions/lib/src/history/TaskCompletedEvent').TaskCompletedEvent,
  TaskFailed: require('durable-functions/lib/src/history/TaskFailedEvent').TaskFailedEvent,
  TimerCreated: require('durable-functions/lib/src/history/TimerCreatedEvent').TimerCreatedEvent,
  TimerFired: require('durable-functions/lib/src/history/TimerFiredEvent').TimerFiredEvent,
} as Record<string, new (options: Record<string, unknown>) => HistoryEvent>;
/* eslint-enable @typescript-eslint/no-require-imports */

interface HistoryEvent {
  EventType: number;
  EventId: number;
}

/** ActionType values of durable-functions 3.x (lib/src/actions/ActionType.js). */
const ACTION = { CallActivity: 0, CallActivityWithRetry: 1, CreateTimer: 5 } as const;

interface EngineAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  fireAt?: string | Date;
  retryOptions?: {
    firstRetryIntervalInMilliseconds: number;
    maxNumberOfAttempts: number;
    backoffCoefficient?: number;
    maxRetryIntervalInMilliseconds?: number;
  };
}

interface EngineState {
  isDone: boolean;
  actions: EngineAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'Failed';

export interface InstanceStatus {
  instanceId: string;
  name: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  createdTime: Date;
  lastUpdatedTime: Date;
}

interface RetryTask {
  action: EngineAction;
  attempts: number;
}

interface Instance {
  status: InstanceStatus;
  fn: OrchestratorFn;
  history: HistoryEvent[];
  nextId: number;
  actionsSeen: number;
  /** Task id of each in-flight attempt → its retrying task. */
  retryByTaskId: Map<number, RetryTask>;
  /** Retry timer id → its retrying task. */
  retryByTimerId: Map<number, RetryTask>;
  completions: HistoryEvent[];
  wake: (() => void) | null;
  done: Promise<void>;
}

export interface LocalDurableRunnerOptions {
  /** Activities run at once across all instances (host.json's maxConcurrentActivityFunctions). */
  maxConcurrentActivities?: number;
  log?: (message: string) => void;
  /** Activities to use instead of the registered ones (tests that inject failures). */
  activities?: ReadonlyMap<string, ActivityFn<unknown, unknown>>;
}

export class LocalDurableRunner {
  private readonly instances = new Map<string, Instance>();
  private readonly maxConcurrent: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly log: (message: string) => void;
  private readonly activityOverrides: ReadonlyMap<string, ActivityFn<unknown, unknown>>;

  constructor(options: LocalDurableRunnerOptions = {}) {
    this.maxConcurrent = options.maxConcurrentActivities ?? 2;
    this.log = options.log ?? (() => undefined);
    this.activityOverrides = options.activities ?? new Map();
  }

  /** Starts an orchestration; an instance id already running is a ConflictError. */
  async startNew(name: string, options: { instanceId: string; input: unknown }): Promise<string> {
    const fn = getOrchestrator(name);
    if (!fn) throw new NotFoundError(`no orchestrator named '${name}' is registered`);
    const existing = this.instances.get(options.instanceId);
    if (existing && (existing.status.runtimeStatus === 'Running' || existing.status.runtimeStatus === 'Pending')) {
      throw new ConflictError('INSTANCE_RUNNING', `instance ${options.instanceId} is already running`);
    }
    const now = new Date();
    const instance: Instance = {
      status: {
        instanceId: options.instanceId,
        name,
        runtimeStatus: 'Pending',
        input: options.input,
        customStatus: null,
        output: null,
        createdTime: now,
        lastUpdatedTime: now,
      },
      fn,
      history: [
        new history.OrchestratorStarted!({ eventId: -1, timestamp: now, isPlayed: false }),
        new history.ExecutionStarted!({ eventId: -1, timestamp: now, isPlayed: false, name, input: JSON.stringify(options.input) }),
      ],
      nextId: 0,
      actionsSeen: 0,
      retryByTaskId: new Map(),
      retryByTimerId: new Map(),
      completions: [],
      wake: null,
      done: Promise.resolve(),
    };
    this.instances.set(options.instanceId, instance);
    instance.done = this.drive(instance).catch((e: unknown) => {
      instance.status.runtimeStatus = 'Failed';
      instance.status.output = `local runner error: ${e instanceof Error ? e.message : String(e)}`;
      this.log(`[durable] ${options.instanceId} runner error: ${String(e)}`);
    });
    return options.instanceId;
  }

  async getStatus(instanceId: string): Promise<InstanceStatus | undefined> {
    const i = this.instances.get(instanceId);
    return i ? { ...i.status } : undefined;
  }

  /** The instance's history as the replay engine sees it (tests replay it). */
  getHistory(instanceId: string): readonly unknown[] {
    return [...(this.instances.get(instanceId)?.history ?? [])];
  }

  listInstances(): InstanceStatus[] {
    return [...this.instances.values()].map((i) => ({ ...i.status }));
  }

  /** Resolves when the instance has completed or failed. */
  async waitForCompletion(instanceId: string, timeoutMs = 600_000): Promise<InstanceStatus> {
    const i = this.instances.get(instanceId);
    if (!i) throw new NotFoundError(`no instance ${instanceId}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`instance ${instanceId} did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([i.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return { ...i.status };
  }

  /** Waits for every instance to settle (used at shutdown and in tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.instances.values()].map((i) => i.done));
  }

  private async drive(instance: Instance): Promise<void> {
    instance.status.runtimeStatus = 'Running';
    const listener = testing.createOrchestrator(instance.fn);
    for (;;) {
      const state = await this.replay(instance, listener);
      instance.status.lastUpdatedTime = new Date();
      instance.status.customStatus = state.customStatus ?? instance.status.customStatus;
      if (state.error !== undefined) {
        instance.status.runtimeStatus = 'Failed';
        instance.status.output = state.error;
        this.log(`[durable] ${instance.status.instanceId} failed: ${state.error}`);
        return;
      }
      if (state.isDone) {
        instance.status.runtimeStatus = 'Completed';
        instance.status.output = state.output ?? null;
        return;
      }
      const all = state.actions.flat();
      for (const action of all.slice(instance.actionsSeen)) this.schedule(instance, action);
      instance.actionsSeen = all.length;

      const event = await this.nextCompletion(instance);
      instance.history.push(new history.OrchestratorStarted!({ eventId: -1, timestamp: new Date(), isPlayed: false }), event);
      this.afterCompletion(instance, event);
    }
  }

  private async replay(
    instance: Instance,
    listener: (trigger: unknown, context: InvocationContext) => Promise<EngineState>,
  ): Promise<EngineState> {
    const trigger = new testing.DurableOrchestrationInput(instance.status.instanceId, instance.history, instance.status.input);
    const context = new DummyOrchestrationContext(instance.status.name, undefined, (level, ...args) =>
      this.log(`[${instance.status.name}] ${level}: ${args.map(String).join(' ')}`),
    );
    try {
      return await listener(trigger, context);
    } catch (e) {
      // The engine throws OrchestrationFailureError with its state as JSON after a marker.
      const message = e instanceof Error ? e.message : String(e);
      const marker = '$OutOfProcData$:';
      const at = message.indexOf(marker);
      if (at >= 0) {
        const state = JSON.parse(message.slice(at + marker.length)) as EngineState;
        return { ...state, error: state.error ?? 'orchestrator failed' };
      }
      throw e;
    }
  }

  private schedule(instance: Instance, action: EngineAction): void {
    const id = instance.nextId++;
    switch (action.actionType) {
      case ACTION.CallActivity:
        this.runActivity(instance, id, action);
        return;
      case ACTION.CallActivityWithRetry: {
        const task: RetryTask = { action, attempts: 1 };
        instance.retryByTaskId.set(id, task);
        this.runActivity(instance, id, action);
        return;
      }
      case ACTION.CreateTimer: {
        const fireAt = new Date(action.fireAt ?? Date.now());
        instance.history.push(new history.TimerCreated!({ eventId: id, timestamp: new Date(), isPlayed: false, fireAt }));
        this.fireTimerAt(instance, id, fireAt);
        return;
      }
      default:
        throw new Error(`the local runner does not support durable action type ${action.actionType}`);
    }
  }

  /** After a completion event: mirror the engine's id allocation for retries. */
  private afterCompletion(instance: Instance, event: HistoryEvent & { TaskScheduledId?: number; TimerId?: number }): void {
    if (event.TaskScheduledId !== undefined) {
      const task = instance.retryByTaskId.get(event.TaskScheduledId);
      instance.retryByTaskId.delete(event.TaskScheduledId);
      if (task && event.EventType === FAILED) {
        const timerId = instance.nextId++;
        const retry = task.action.retryOptions!;
        const delay = Math.min(
          retry.firstRetryIntervalInMilliseconds * Math.pow(retry.backoffCoefficient ?? 1, task.attempts - 1),
          retry.maxRetryIntervalInMilliseconds ?? Number.POSITIVE_INFINITY,
        );
        const fireAt = new Date(Date.now() + delay);
        instance.retryByTimerId.set(timerId, task);
        instance.history.push(new history.TimerCreated!({ eventId: timerId, timestamp: new Date(), isPlayed: false, fireAt }));
        this.fireTimerAt(instance, timerId, fireAt);
      }
    } else if (event.TimerId !== undefined) {
      const task = instance.retryByTimerId.get(event.TimerId);
      instance.retryByTimerId.delete(event.TimerId);
      if (task && task.attempts < task.action.retryOptions!.maxNumberOfAttempts) {
        task.attempts++;
        const id = instance.nextId++;
        instance.retryByTaskId.set(id, task);
        this.log(`[durable] ${instance.status.instanceId} retrying ${task.action.functionName} (attempt ${task.attempts})`);
        this.runActivity(instance, id, task.action);
      }
    }
  }

  private runActivity(instance: Instance, id: number, action: EngineAction): void {
    const name = action.functionName ?? '';
    const input = typeof action.input === 'string' ? safeParse(action.input) : action.input;
    instance.history.push(
      new history.TaskScheduled!({ eventId: id, timestamp: new Date(), isPlayed: false, name, input: JSON.stringify(input) }),
    );
    const fn = this.activityOverrides.get(name) ?? getActivity(name);
    void this.withSlot(async () => {
      if (!fn) throw new Error(`no activity named '${name}' is registered`);
      const context = new InvocationContext({
        functionName: name,
        invocationId: `${instance.status.instanceId}:${id}`,
        logHandler: (level, ...args) => this.log(`[${name}] ${level}: ${args.map(String).join(' ')}`),
      });
      return fn(input, context);
    }).then(
      (result) =>
        this.complete(
          instance,
          new history.TaskCompleted!({
            eventId: -1,
            timestamp: new Date(),
            isPlayed: false,
            taskScheduledId: id,
            result: JSON.stringify(result ?? null),
          }),
        ),
      (e: unknown) =>
        this.complete(
          instance,
          new history.TaskFailed!({
            eventId: -1,
            timestamp: new Date(),
            isPlayed: false,
            taskScheduledId: id,
            reason: e instanceof Error ? e.message : String(e),
            details: '',
          }),
        ),
    );
  }

  private fireTimerAt(instance: Instance, timerId: number, fireAt: Date): void {
    const delay = Math.max(0, fireAt.getTime() - Date.now());
    setTimeout(
      () => this.complete(instance, new history.TimerFired!({ eventId: -1, timestamp: new Date(), isPlayed: false, timerId, fireAt })),
      delay,
    );
  }

  private complete(instance: Instance, event: HistoryEvent): void {
    instance.completions.push(event);
    const wake = instance.wake;
    instance.wake = null;
    wake?.();
  }

  private async nextCompletion(instance: Instance): Promise<HistoryEvent> {
    while (instance.completions.length === 0) {
      await new Promise<void>((resolve) => (instance.wake = resolve));
    }
    return instance.completions.shift()!;
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    while (this.running >= this.maxConcurrent) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** HistoryEventType.TaskFailed in durable-functions 3.x. */
const FAILED = 6;

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
