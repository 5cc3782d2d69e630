/**
 * What each user's todo list must hold, derived only from acknowledged responses.
 * A todo is checked out while one request works on it, so no two requests race on
 * the same todo and every acknowledged answer moves the model deterministically.
 */
export type ModelTodo = { title: string; completed: boolean };

export class UserModel {
  readonly todos = new Map<string, ModelTodo>();
  private readonly busy = new Set<string>();
  readonly userId: string;
  readonly token: string;
  /** The shard the user's token names. */
  readonly shard: string;

  constructor(userId: string, token: string, shard: string) {
    this.userId = userId;
    this.token = token;
    this.shard = shard;
  }

  /** A random todo no other request is working on, now checked out; undefined if none. */
  checkOut(random: () => number): string | undefined {
    const free = [...this.todos.keys()].filter((id) => !this.busy.has(id));
    const id = free[Math.floor(random() * free.length)];
    if (id !== undefined) this.busy.add(id);
    return id;
  }

  release(id: string): void {
    this.busy.delete(id);
  }
}

/** Differences between what the API stores and what the acknowledged responses imply. */
export function compare(
  model: UserModel,
  stored: Array<{ id: string; title: string; completed: boolean }>,
  foreignIds: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const storedIds = new Set(stored.map((todo) => todo.id));
  for (const todo of stored) {
    if (foreignIds.has(todo.id))
      problems.push(`${model.userId} sees another user's todo ${todo.id}`);
    const expected = model.todos.get(todo.id);
    if (!expected) problems.push(`${model.userId}: phantom todo ${todo.id}`);
    else if (expected.title !== todo.title || expected.completed !== todo.completed) {
      problems.push(
        `${model.userId}: ${todo.id} is ${JSON.stringify(todo)}, expected ${JSON.stringify(expected)}`,
      );
    }
  }
  for (const id of model.todos.keys()) {
    if (!storedIds.has(id)) problems.push(`${model.userId}: lost todo ${id}`);
  }
  return problems;
}
