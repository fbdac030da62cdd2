import { Decider, fold } from './decider';
import { DomainError } from './domain-error';

/**
 * given(events).when(command).then(events | error) — decider specifications read as the rule.
 * Framework-agnostic: it throws plain Errors, so it works under any test runner.
 */
export function specFor<Command, State, Event>(decider: Decider<Command, State, Event>) {
  return (given: readonly Event[] = []) => ({
    when: (command: Command) => {
      const run = (): Event[] => decider.decide(command, fold(decider, given));
      return {
        then(expected: readonly Event[]): void {
          const actual = run();
          const a = JSON.stringify(actual);
          const e = JSON.stringify(expected);
          if (a !== e) throw new Error(`expected events\n  ${e}\nbut got\n  ${a}`);
        },
        thenThrows(code: string): DomainError {
          let events: Event[];
          try {
            events = run();
          } catch (error) {
            if (error instanceof DomainError && error.code === code) return error;
            throw new Error(`expected DomainError ${code} but got ${String(error)}`);
          }
          throw new Error(`expected DomainError ${code} but got events ${JSON.stringify(events)}`);
        },
      };
    },
  });
}
