import { isIdempotencyKey, TITLE_MAX, TODO_ID_PATTERN } from "@todo/worker/contract";
import { RejectedError, type TodoApi, type TodoFilter } from "../api/todo-api.server.ts";
import { type ApiFault, ApiUnavailableError } from "../api/transport.server.ts";

export const MESSAGES = {
  emptyTitle: "The title can't be empty. Type what you need to do.",
  emptyEdit: "The title can't be empty. To remove this todo, use Delete.",
  longTitle: `That title is too long: keep it to ${TITLE_MAX} characters.`,
  unknownTodo: "That todo is not known. Please reload the page and try again.",
  staleForm: "This form is out of date. Reload the page and try again.",
  keyReused:
    "This form was already used to add a different todo. Reload the page and add it again.",
} as const;

/** What a person reads when the API did not serve a change, by what went wrong. */
export const WRITE_FAULT_MESSAGES: Record<ApiFault, string> = {
  unreachable:
    "Can't reach the todo service: it is unavailable right now. Nothing was changed. Please try again in a moment.",
  timeout:
    "That change could not be confirmed: the todo service did not answer in time. Reload the page to check whether it was saved. Sending it again will not duplicate it.",
  busy: "That change could not be confirmed: the todo service is busy right now. Reload the page to check whether it was saved. Sending it again will not duplicate it.",
};

/** What a person reads when their todos could not be read, by what went wrong. */
export const READ_FAULT_MESSAGES: Record<ApiFault, string> = {
  unreachable:
    "Can't reach the todo service: it is unavailable right now, so your todos can't be shown. Please try again in a moment.",
  timeout:
    "The todo service did not answer in time, so your todos can't be shown right now. Please try again in a moment.",
  busy: "The todo service is busy, so your todos can't be shown right now. Please try again in a moment.",
};

/** Which form a message belongs to: the new-todo form, or one todo's edit form. */
export type FormTarget = { form: "new" } | { form: "edit"; id: string };

export type TodoFormFailure = {
  status: number;
  message: string;
  target: FormTarget;
  /** What the person typed, shown again. */
  value: string;
  /** The add form's one-time key, sent again with the same form so a resend adds nothing more. */
  idempotencyKey: string;
  /** The API did not serve the change: reading the list now would fail or wait the same way. */
  fault?: ApiUnavailableError;
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

/** The intents that name one todo by its id. */
const ONE_TODO = new Set(["edit", "toggle", "delete"]);

/**
 * Carries out one form on the todos page (`intent`: add, toggle, edit, delete,
 * complete-all, clear-completed) through the API.
 *
 * Toggle works with and without JavaScript: the form sends the checkbox and
 * the state shown (`was`); a checkbox the person changed wins, an unchanged
 * one (the Toggle button alone) flips the todo.
 *
 * An id that is not an API todo id is refused before any API call: it would
 * otherwise become part of the API path (`../todos?status=all`).
 */
export async function handleTodoForm(api: TodoApi, form: FormData): Promise<TodoFormResult> {
  const intent = field(form, "intent");
  const id = field(form, "id");
  const target: FormTarget = intent === "edit" ? { form: "edit", id } : { form: "new" };
  const value = field(form, "title");
  // Kept on a failure, so that sending the form again cannot add twice; dropped
  // when the key itself is the problem, so the form shown next gets a fresh one.
  let idempotencyKey = field(form, "idempotency-key");
  const fail = (status: number, message: string, fault?: ApiUnavailableError): TodoFormResult => ({
    failure: { status, message, target, value, idempotencyKey, fault },
  });
  if (ONE_TODO.has(intent) && !TODO_ID_PATTERN.test(id)) {
    return {
      failure: {
        status: 400,
        message: MESSAGES.unknownTodo,
        target: { form: "new" },
        value: "",
        idempotencyKey,
      },
    };
  }

  try {
    switch (intent) {
      case "add": {
        const title = value.trim();
        const invalid = checkTitle(title, MESSAGES.emptyTitle);
        if (invalid) return fail(400, invalid);
        // Forms rendered before the key existed send none: they add without one.
        if (idempotencyKey !== "" && !isIdempotencyKey(idempotencyKey)) {
          idempotencyKey = "";
          return fail(400, MESSAGES.staleForm);
        }
        await api.create(title, idempotencyKey || undefined);
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
    if (error instanceof ApiUnavailableError) {
      return fail(error.status, WRITE_FAULT_MESSAGES[error.fault], error);
    }
    if (error instanceof RejectedError) {
      if (error.code === "idempotency_key_reused") {
        idempotencyKey = "";
        return fail(422, MESSAGES.keyReused);
      }
      return fail(400, error.fields.title ? `The title ${error.fields.title}.` : error.message);
    }
    throw error;
  }
  return { done: true };
}
