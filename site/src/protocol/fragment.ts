/**
 * A request carrying this header (and value) asks for the part of the page an
 * action changes instead of the whole page; the server and the page's script
 * both name it from here. Answers vary on it.
 */
export const FRAGMENT_HEADER = "X-Fragment";
export const TODOS_FRAGMENT = "todos";
