/** How long a password may be: Better Auth enforces it, and every form and hint states it. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
