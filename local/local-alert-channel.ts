/** The local stand-in for the SNS operator topic: alerts published here reach each subscriber (npm start's console). */
import type { Alert } from '../lambdas/engine/model';

export interface LocalAlertSubscriber {
  /** What receives the alerts, as the doctor lists it: `console` for npm start's output. */
  name: string;
  receive(alert: Alert): void;
}

export class LocalAlertChannel {
  private readonly subscribers: LocalAlertSubscriber[] = [];

  subscribe(subscriber: LocalAlertSubscriber): void {
    this.subscribers.push(subscriber);
  }

  unsubscribe(name: string): void {
    const at = this.subscribers.findIndex((s) => s.name === name);
    if (at >= 0) this.subscribers.splice(at, 1);
  }

  /** Names of the subscribers: locally each is confirmed as soon as it subscribes. */
  subscriptions(): string[] {
    return this.subscribers.map((s) => s.name);
  }

  async publish(alert: Alert): Promise<void> {
    for (const s of this.subscribers) s.receive(alert);
  }
}
