import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../errors.ts";

export const MAX_BODY_BYTES = 16 * 1024;

/** Refuses bodies over 16 KiB with 413, whether or not `Content-Length` tells the truth. */
export const bodySize = () =>
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("payload_too_large", "The request body is larger than 16 KiB");
    },
  });
