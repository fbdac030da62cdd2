/**
 * A decider is an aggregate as pure functions (see docs/adr/0002-deciders.md):
 * `decide` turns a command into events against the current state, `evolve` folds one event into
 * the state. No I/O, no clock, no id generation: everything variable arrives with the command.
 */
export interface Decider<Command, State, Event> {
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/** An event as the domain sees it: a discriminated union member with its payload. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Folds events into a state, starting from the decider's initial state or a given one. */
export function fold<State, Event>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
  from: State = decider.initialState,
): State {
  return events.reduce((state, event) => decider.evolve(state, event), from);
}
