import * as z from "zod/mini";

export const Health = z.object({ status: z.enum(["ok", "misconfigured"]) });
export const Me = z.object({ userId: z.string() });
