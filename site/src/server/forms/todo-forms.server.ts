import { TITLE_MAX } from "@todo/worker/contract";
import { RejectedError, type TodoApi, type TodoFilter } from "../api/todo-api.server.ts";
import { ApiUnavailableError } from "../api/transport.server.ts";

export const MESSAGES = {
  emptyTitle: "The title can't be empty. Type what you need to do.",
  emptyEdit: "The title can't be empty. To remove this todo, use Delete.",
  longTitle: `That title is too long: keep it to ${TITLE_MAX} characters.`,
  unavailable:
    "Can't reach the todo service: it is unavailable right now. Nothing was changed. Please try again in a moment.",
  listUnavailable:
    "Can't reach the todo service: it is unavailable right now, so your todos can't be shown. Please try again in a moment.",
} as const;

/** Which form a message belongs to: the new-todo form, or one todo's edit form. */
export type FormTarget = { form: "new" } | { form: "edit"; id: string };

export type TodoFormFailure = {
  status: number;
  message: string;
  target: FormTarget;
  /** What the person typed, shown again. */
  value: string;
};

export type TodoFormResult = { done: true } | { failure: TodoFormFailure };

/** `?status=` as a filter; anything unknown shows all. */
export function parseFilter(value: string | null): TodoFilter {
  return value === "active" || value === "completed" ? value : "all";
}

/** The todos page of a filter, from `cursor` on (an **Older todos** page) or the newest. */
export function todosPath(filter: TodoFilter, cursor?: string): string {
  const query = new URLSearchParams();
  if (filter !== "all") query.set("status", filter);
  if (cursor) query.set("cursor", cursor);
  return query.size > 0 ? `/todos?${query}` : "/todos";
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

function checkTitle(title: string, emptyMessage: string): string | undefined {
  if (title === "") return emptyMessage;
  if (title.length > TITLE_MAX) return MESSAGES.longTitle;
  return undefined;
}

/**
 * Carries out one form on the todos page (`intent`: add, toggle, edit, delete,
 * complete-all, clear-completed) through the API.
 *
 * Toggle works with and without JavaScript: the form sends the checkbox and
 * the state shown (`was`); a checkbox the person changed wins, an unchanged
 * one (the Toggle button alone) flips the todo.
 */
export async function handleTodoForm(api: TodoApi, form: FormData): Promise<TodoFormResult> {
  const intent = field(form, "intent");
  const id = field(form, "id");
  const target: FormTarget = intent === "edit" ? { form: "edit", id } : { form: "new" };
  const value = field(form, "title");
  const fail = (status: number, message: string): TodoFormResult => ({
    failure: { status, message, target, value },
  });

  try {
    switch (intent) {
      case "add": {
        const title = value.trim();
        const invalid = checkTitle(title, MESSAGES.emptyTitle);
        if (invalid) return fail(400, invalid);
        await api.create(title);
        break;
      }
      case "edit": {
        const title = value.trim();
        const invalid = checkTitle(title, MESSAGES.emptyEdit);
        if (invalid) return fail(400, invalid);
        await api.update(id, { title });
        break;
      }
      case "toggle": {
        const was = field(form, "was") === "true";
        const checked = form.has("completed");
        await api.update(id, { completed: checked !== was ? checked : !was });
        break;
      }
      case "delete":
        await api.remove(id);
        break;
      case "complete-all":
        await api.completeAll(field(form, "completed") !== "false");
        break;
      case "clear-completed":
        await api.clearCompleted();
        break;
      default:
        return fail(400, "That action is not known. Please reload the page.");
    }
  } catch (error) {
    if (error instanceof ApiUnavailableError) return fail(502, MESSAGES.unavailable);
    if (error instanceof RejectedError) {
      return fail(400, error.fields.title ? `The title ${error.fields.title}.` : error.message);
    }
    throw error;
  }
  return { done: true };
}
