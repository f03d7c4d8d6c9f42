/**
 * Reply deadlines per triage class (docs/metrics.md, "Triage classes and deadlines"): how long a mention of each
 * class that needs a reply may wait before it is overdue. Set in earshot.yml as `triage: { outage: 1h, … }` or with
 * `--deadline outage=30m`.
 */
import type { Intent } from './intent.js';

/** The triage classes that need a reply, and so have a deadline. */
export type DeadlineClass = Extract<Intent, 'outage' | 'churn' | 'complaint' | 'purchase' | 'question'>;

/** Every class with a deadline, most urgent first. */
export const DEADLINE_CLASSES: readonly DeadlineClass[] = ['outage', 'churn', 'complaint', 'purchase', 'question'];

/** Deadline in minutes per class. */
export type Deadlines = Record<DeadlineClass, number>;

/**
 * The defaults: an outage within the hour (everyone affected is waiting), churn within two (the customer is deciding
 * now), a complaint within four (the common social-care target), a purchase question within eight (the same working
 * day), any other question within a day.
 */
export const DEFAULT_DEADLINES: Readonly<Deadlines> = { outage: 60, churn: 120, complaint: 240, purchase: 480, question: 1440 };

/** True when `intent` has a deadline. */
export function hasDeadline(intent: Intent): intent is DeadlineClass {
  return (DEADLINE_CLASSES as readonly string[]).includes(intent);
}

/** The defaults with `overrides` on top. */
export function deadlinesWith(overrides: Partial<Deadlines> | undefined): Deadlines {
  return { ...DEFAULT_DEADLINES, ...overrides };
}
