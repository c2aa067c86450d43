/** A problem with what the user asked for (a missing path, a wrong file): exit 2, no stack. */
export class UsageError extends Error {}
